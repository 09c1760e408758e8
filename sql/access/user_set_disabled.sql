-- grain: one account switched off or on
update ops.app_user
set disabled = $disabled, failed_attempts = 0, locked_until = null, updated_at = now()
where username = $username
