-- grain: one throttle key's failures and lock, as the attempt left them (postgresql only)
insert into ops.sign_in_counter (counter_key, failures, locked_until, last_failure, locks)
values ($counter_key, $failures, $locked_until, $last_failure, $locks)
on conflict (counter_key) do update
set failures = excluded.failures, locked_until = excluded.locked_until,
    last_failure = excluded.last_failure, locks = excluded.locks
