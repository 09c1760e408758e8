-- grain: each task of journal_task (cluster/journal_task_table.sql) set to the state a supervisor's change left it in on
-- the writer, if it is still at the version the change started from (AgentJournal.Replay): a task the build already
-- holds so, or that someone moved since, is left alone. returns the tasks set, with their new version
update ops.task
set status = journal.status,
    assigned_to = journal.assigned_to,
    team_id = journal.team_id,
    due_date = journal.due_date,
    priority = journal.priority,
    callback_at = journal.callback_at,
    closed_at = journal.closed_at,
    version = journal.version,
    updated_at = journal.updated_at
from journal_task as journal
where ops.task.task_id = journal.task_id
  and ops.task.version = journal.task_version
returning task_id, version
