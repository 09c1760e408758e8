-- grain: one failed sign-in of an existing account: the counter, and a lock once it reaches the limit (the
-- counter starts again after the lock)
update ops.app_user
set failed_attempts = case when failed_attempts + 1 >= $max_attempts then 0 else failed_attempts + 1 end,
    locked_until = case
        when failed_attempts + 1 >= $max_attempts then now() + to_minutes(cast($lockout_minutes as bigint))
        else locked_until end
where username = $username
