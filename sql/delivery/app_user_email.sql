-- grain: one portal account: where delivered files are mailed
select email from ops.app_user where username = $username
