-- grain: one account's new password hash; a reset by an administrator sets must_change_password
update ops.app_user
set password_hash = $password_hash,
    must_change_password = $must_change_password,
    demo_seed = false,
    updated_at = now()
where username = $username
