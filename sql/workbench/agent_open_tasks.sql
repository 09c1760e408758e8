-- grain: one row: the tasks an agent holds now (what counts against their capacity)
select count(*) as open_tasks
from ops.task
where assigned_to = $username and status in ('assigned', 'in_progress', 'callback')
