-- grain: one row per throttle key of an attempt that has a counter (postgresql only)
select counter_key as CounterKey, failures as Failures, locked_until as LockedUntil, last_failure as LastFailure, locks as Locks
from ops.sign_in_counter
where counter_key = any($keys)
