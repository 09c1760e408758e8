-- grain: one row: the next value of ops.inbound_call_id_seq (taken) and the highest call_id in ops.inbound_call, which a replay may have
-- given explicitly (AgentWorkbench.ReplayIdsPast)
select nextval('ops.inbound_call_id_seq') as next_id, (select coalesce(max(call_id), 0) from ops.inbound_call) as top_id
