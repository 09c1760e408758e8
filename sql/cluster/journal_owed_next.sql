-- grain: one row: the id the next owed journal row gets
select coalesce(max(owed_id), 0) + 1 from ops.agent_journal_owed
