-- grain: one successful sign-in: the failure counter starts again
update ops.app_user
set failed_attempts = 0, locked_until = null, last_sign_in_at = now()
where username = $username
