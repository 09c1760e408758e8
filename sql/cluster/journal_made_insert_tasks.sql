-- grain: one new ops.task row per journaled task not there yet, with the id and state it had on the writer when it was
-- made (cluster/journal_made_tables.sql); the claims, outcomes and assignments journaled after it start from that state
-- (only into a campaign this file has: a campaign left out by cluster/journal_made_taken.sql takes its rows with it)
insert into ops.task
    (task_id, campaign_id, subscriber_id, city_code, value_tier, priority_score, scenario_ids, status, team_id, assigned_to,
     due_date, attempts, version, created_at, updated_at, result, callback_at, last_attempt_at, closed_at, priority,
     customer_name, merged_into)
select made.task_id, made.campaign_id, made.subscriber_id, made.city_code, made.value_tier, made.priority_score, made.scenario_ids,
    made.status, made.team_id, made.assigned_to, made.due_date, made.attempts, made.version, made.created_at, made.updated_at,
    made.result, made.callback_at, made.last_attempt_at, made.closed_at, made.priority, made.customer_name, made.merged_into
from journal_made_task as made
where not exists (select 1 from ops.task as task where task.task_id = made.task_id)
  and exists (select 1 from ops.campaign as campaign where campaign.campaign_id = made.campaign_id)
