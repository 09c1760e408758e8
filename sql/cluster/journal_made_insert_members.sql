-- grain: one new ops.campaign_member row per journaled member whose campaign does not have the subscriber yet
-- (cluster/journal_made_tables.sql)
-- (only into a campaign this file has: a campaign left out by cluster/journal_made_taken.sql takes its rows with it)
insert into ops.campaign_member
    (campaign_id, subscriber_id, city_code, member_group, excluded_reason, risk_score, added_at, scenario_ids, value_tier)
select made.campaign_id, made.subscriber_id, made.city_code, made.member_group, made.excluded_reason, made.risk_score,
    made.added_at, made.scenario_ids, made.value_tier
from journal_made_member as made
where not exists (
    select 1 from ops.campaign_member as member
    where member.campaign_id = made.campaign_id and member.subscriber_id = made.subscriber_id
)
  and exists (select 1 from ops.campaign as campaign where campaign.campaign_id = made.campaign_id)
