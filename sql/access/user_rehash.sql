-- grain: one account's password hash renewed in place (a stronger hash after the hasher's defaults changed)
update ops.app_user
set password_hash = $password_hash
where username = $username
