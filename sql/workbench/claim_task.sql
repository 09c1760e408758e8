-- grain: the one task an agent opens: assigned (or a callback) -> in_progress, only while it is still theirs and
-- unchanged since they read it
update ops.task
set status = 'in_progress',
    version = version + 1,
    updated_at = $now
where task_id = $task_id
  and version = $version
  and assigned_to = $username
  and status in ('assigned', 'callback')
