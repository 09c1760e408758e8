-- call lists: what the shared ops tables (005) need in addition. a campaign member keeps the scenarios and value tier
-- it was ranked with (the effectiveness report compares treated and control by them); a team states how many open
-- tasks each of its agents may hold, so account managers created from the subscriber data get a capacity.
alter table ops.campaign_member add column if not exists scenario_ids varchar;
alter table ops.campaign_member add column if not exists value_tier varchar;
alter table ops.team add column if not exists agent_capacity integer;
