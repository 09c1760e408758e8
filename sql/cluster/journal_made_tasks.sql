-- grain: one row per task created in the campaign in the current transaction (created_at is the transaction's time), as
-- the transaction left it (routed, named): every column, for the agents' journal (AgentJournal.Read)
select task_id as TaskId, campaign_id as CampaignId, subscriber_id as SubscriberId, city_code as CityCode, value_tier as ValueTier,
       priority_score as PriorityScore, scenario_ids as ScenarioIds, status as Status, team_id as TeamId, assigned_to as AssignedTo,
       due_date as DueDate, attempts as Attempts, version as Version, created_at as CreatedAt, updated_at as UpdatedAt,
       result as Result, callback_at as CallbackAt, last_attempt_at as LastAttemptAt, closed_at as ClosedAt, priority as Priority,
       customer_name as CustomerName, merged_into as MergedInto
from ops.task
where campaign_id = $campaign_id
  and created_at = cast(now() as timestamp)
order by task_id
