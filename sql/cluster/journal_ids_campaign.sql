-- grain: one row: the next value of ops.campaign_id_seq (taken) and the highest campaign_id in ops.campaign, which a replay may have
-- given explicitly (AgentWorkbench.ReplayIdsPast)
select nextval('ops.campaign_id_seq') as next_id, (select coalesce(max(campaign_id), 0) from ops.campaign) as top_id
