-- grain: one row per member added to the campaign in the current transaction (added_at is the transaction's time), for
-- the agents' journal (AgentJournal.Read)
select campaign_id as CampaignId, subscriber_id as SubscriberId, city_code as CityCode, member_group as MemberGroup,
       excluded_reason as ExcludedReason, risk_score as RiskScore, added_at as AddedAt, scenario_ids as ScenarioIds,
       value_tier as ValueTier
from ops.campaign_member
where campaign_id = $campaign_id
  and added_at = cast(now() as timestamp)
order by subscriber_id
