-- grain: one row: the next value of ops.dialer_lease_id_seq (taken) and the highest lease_id in ops.dialer_lease, which a replay may have
-- given explicitly (AgentWorkbench.ReplayIdsPast)
select nextval('ops.dialer_lease_id_seq') as next_id, (select coalesce(max(lease_id), 0) from ops.dialer_lease) as top_id
