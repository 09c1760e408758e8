-- grain: one row per campaign handed to the dialer and active in some city (the demo simulator works them)
select distinct campaign_id from ops.dialer_campaign where status = 'active' order by campaign_id
