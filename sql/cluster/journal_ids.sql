-- grain: one row: the next value of the sequence {sequence} (taken) and the highest {column} in {table}, which a replay
-- may have given explicitly. {sequence}, {table} and {column} are identifiers filled from a fixed list in code
-- (AgentJournal.KeptIds: leases, attempts, inbound calls, campaigns, tasks), never from input.
select nextval('{sequence}') as next_id, (select coalesce(max({column}), 0) from {table}) as top_id
