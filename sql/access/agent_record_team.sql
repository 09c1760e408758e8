-- grain: one row for an active agent: the team the agent works in
select team_id from ops.agent where username = $username and active
