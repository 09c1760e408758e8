-- grain: removes the journal rows every build published since contains
delete from ops.agent_journal
where made_at_utc < $before_utc
