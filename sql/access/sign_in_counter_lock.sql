-- grain: one throttle key held by this attempt until its transaction ends (postgresql only: every node counts the same failures)
select pg_advisory_xact_lock(hashtextextended($counter_key, 0))
