-- grain: throttle keys neither locked nor failing for twice the lockout time: forgotten, their doubling starts again (postgresql only)
delete from ops.sign_in_counter
where last_failure < $quiet_since and (locked_until is null or locked_until <= $now)
