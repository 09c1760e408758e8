-- grain: one task set to the state a supervisor's change left it in on the writer, if it is still at the version the
-- change started from (AgentJournal.Replay): a task the build already holds so, or that someone moved since, is left alone
update ops.task
set status = $status,
    assigned_to = $assigned_to,
    team_id = $team_id,
    due_date = $due_date,
    priority = $priority,
    callback_at = $callback_at,
    closed_at = $closed_at,
    version = $version,
    updated_at = $updated_at
where task_id = $task_id
  and version = $task_version
