-- grain: the one task an outcome is recorded on: its new state, only while it is still the agent's call in progress
-- and unchanged since they read it
update ops.task
set status = $status,
    result = $result,
    callback_at = $callback_at,
    attempts = attempts + 1,
    last_attempt_at = $now,
    closed_at = case when $status in ('done', 'closed') then $now end,
    version = version + 1,
    updated_at = $now
where task_id = $task_id
  and version = $version
  and assigned_to = $username
  and status = 'in_progress'
