-- grain: one agent record of the operational database into this node's file, as it is there (changed in place)
update ops.agent
set display_name = $display_name, team_id = $team_id, capacity = $capacity, account_manager_id = $account_manager_id,
    active = $active
where username = $username
