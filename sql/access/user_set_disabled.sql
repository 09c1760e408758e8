-- grain: one account switched off or on
update ops.app_user
set disabled = $disabled, updated_at = now()
where username = $username
