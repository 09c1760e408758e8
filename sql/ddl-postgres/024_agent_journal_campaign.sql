-- grain: schema only. the agents' journal also holds a supervisor's changes: one row per task moved (kind task, the
-- task's state after the change as payload) and one for the campaign whose status the change set (kind campaign, no
-- task: task_id and task_version are null, the campaign id and status are the payload)
alter table ops.agent_journal alter column task_id drop not null;
alter table ops.agent_journal alter column task_version drop not null;
