-- grain: the tasks of the campaign a supervisor's change may touch, with the version each has before it: what the
-- change moved is journaled for the node that takes over (AgentJournal; only with several nodes)
create or replace temp table task_before as
select task_id, version
from ops.task
where campaign_id = $campaign_id
