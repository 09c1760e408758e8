-- grain: statement. the owed rows up to this id have been written to the operational database (rows owed since stay)
delete from ops.agent_journal_owed
where owed_id <= $paid_through
