-- grain: one agent record of the operational database into this node's file, as it is there (new here)
insert into ops.agent (username, display_name, team_id, capacity, account_manager_id, active)
select $username, $display_name, $team_id, $capacity, $account_manager_id, $active
where not exists (select 1 from ops.agent where username = $username)
