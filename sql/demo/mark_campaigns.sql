-- grain: the campaigns the demo's simulated supervisor generated for one period: flagged as demo data, and named so
-- wherever a campaign name is shown
update ops.campaign
set demo = true,
    name = name || ' (demo)'
where period = $period
    and created_by = $created_by
    and not coalesce(demo, false)
