-- grain: the one task whose dialer disposition was refused: back to how it was before the dialer took it
update ops.task
set assigned_to = $assigned_to,
    status = $status,
    version = version + 1,
    updated_at = $now
where task_id = $task_id
  and version = $version
  and status = 'in_progress'
