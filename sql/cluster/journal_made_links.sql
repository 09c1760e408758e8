-- grain: one row per member of the campaign linked to its subscriber's live task elsewhere in the current transaction
-- (linked_at is the transaction's time), for the agents' journal (AgentJournal.Read)
select task_id as TaskId, campaign_id as CampaignId, subscriber_id as SubscriberId, scenario_ids as ScenarioIds, period as Period,
       linked_at as LinkedAt
from ops.task_link
where campaign_id = $campaign_id
  and linked_at = cast(now() as timestamp)
order by subscriber_id
