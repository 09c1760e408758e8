-- grain: one row: how many journal rows this node's file still owes
select count(*) from ops.agent_journal_owed
