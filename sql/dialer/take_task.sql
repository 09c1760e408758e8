-- grain: the one task a dialer call was put through to an agent: now that agent's call in progress, only while it is
-- unchanged since it was read and still waiting to be called
update ops.task
set assigned_to = $agent,
    status = 'in_progress',
    version = version + 1,
    updated_at = $now
where task_id = $task_id
  and version = $version
  and status in ('open', 'assigned', 'callback')
