-- grain: one row per task a supervisor's change moved (its version went up), as the change left it, with the version
-- it had before (workbench/tasks_before_*.sql)
select task.task_id, before.version as version_before, task.status, task.assigned_to, task.team_id,
       task.due_date, task.priority, task.callback_at, task.closed_at, task.version, task.updated_at
from ops.task as task
inner join task_before as before on before.task_id = task.task_id
where task.version <> before.version
order by task.task_id
