-- grain: statement. every owed row has been written to the operational database (the journal's lock is held)
delete from ops.agent_journal_owed
