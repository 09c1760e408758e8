-- grain: one row: the next value of ops.dialer_attempt_id_seq (taken) and the highest attempt_id in ops.dialer_attempt, which a replay may have
-- given explicitly (AgentWorkbench.ReplayIdsPast)
select nextval('ops.dialer_attempt_id_seq') as next_id, (select coalesce(max(attempt_id), 0) from ops.dialer_attempt) as top_id
