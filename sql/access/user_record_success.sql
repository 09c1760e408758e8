-- grain: one successful sign-in (failed attempts are throttled in the portal's memory, not here)
update ops.app_user
set last_sign_in_at = now()
where username = $username
