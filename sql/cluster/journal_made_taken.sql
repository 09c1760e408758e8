-- grain: one row per journaled new campaign this file cannot take, taken out of journal_made_campaign and returned: its
-- key is a campaign of another id here (a list this node made itself, e.g. the call lists of the same month), or its id
-- a campaign this node made itself (another key, or the same key made at another time). The node's own campaign stands;
-- the caller leaves out every row of the journaled campaign and its tasks in the replay (cluster/journal_made_tables.sql).
delete from journal_made_campaign as made
where exists (
    select 1 from ops.campaign as campaign
    where (campaign.campaign_key = made.campaign_key and campaign.campaign_id <> made.campaign_id)
       or (campaign.campaign_id = made.campaign_id and (campaign.campaign_key <> made.campaign_key or campaign.created_at <> made.created_at))
)
returning campaign_id as CampaignId, campaign_key as CampaignKey
