-- grain: one row for an account: the team on the account (supervisors), when it is not an active agent's
select team_id from ops.app_user where username = $username
