-- grain: one agent record's name, team, capacity and whether the agent works tasks
update ops.agent
set display_name = $display_name, team_id = $team_id, capacity = $capacity, active = $active
where username = $username
