-- grain: the campaign with this natural key, if it exists (re-runs find it instead of creating another)
select campaign_id as CampaignId, campaign_key as CampaignKey, name as Name, holdout_pct as HoldoutPct, seed as Seed
from ops.campaign
where campaign_key = $campaign_key
order by campaign_id
limit 1
