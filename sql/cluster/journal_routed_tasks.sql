-- grain: one row per earlier task of the campaign that the current transaction's routing moved (updated_at is the
-- transaction's time, created before it; tasks/assign_tasks.sql adds one version), as a supervisor's change of a task is
-- journaled (AgentJournal.Read, TaskAfter)
select task_id as TaskId, cast(version - 1 as integer) as VersionBefore, status as Status, assigned_to as AssignedTo,
       team_id as TeamId, due_date as DueDate, priority as Priority, callback_at as CallbackAt, closed_at as ClosedAt,
       version as Version, updated_at as UpdatedAt
from ops.task
where campaign_id = $campaign_id
  and updated_at = cast(now() as timestamp)
  and created_at < cast(now() as timestamp)
order by task_id
