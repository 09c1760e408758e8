-- grain: statement. owed rows made before the adopted build was published: the build holds what they record
delete from ops.agent_journal_owed
where made_at_utc <= $since_utc
