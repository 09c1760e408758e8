-- grain: one agent record for an account that has none yet
insert into ops.agent (username, display_name, team_id, capacity, active)
select $username, $display_name, $team_id, $capacity, true
where not exists (select 1 from ops.agent where username = $username)
