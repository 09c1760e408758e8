-- grain: one task the agent holds and is working (the only tasks an agent may text instead of calling)
select task_id
from ops.task
where task_id = $task_id
    and assigned_to = $username
    and status = 'in_progress'
