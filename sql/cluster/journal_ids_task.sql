-- grain: one row: the next value of ops.task_id_seq (taken) and the highest task_id in ops.task, which a replay may have
-- given explicitly (AgentWorkbench.ReplayIdsPast)
select nextval('ops.task_id_seq') as next_id, (select coalesce(max(task_id), 0) from ops.task) as top_id
