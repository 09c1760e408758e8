-- grain: the tasks a supervisor's change names, with the version each has before it: what the change moved is
-- journaled for the node that takes over (AgentJournal; only with several nodes)
create or replace temp table task_before as
select task_id, version
from ops.task
where task_id in (select cast(unnest(string_split($task_ids, ',')) as bigint))
