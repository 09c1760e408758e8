-- grain: one agent record as this node's file has it after a change, into the operational database (PostgreSQL
-- only); $replace false: only a record the operational database does not have yet
insert into ops.agent (username, display_name, team_id, capacity, account_manager_id, active)
values ($username, $display_name, $team_id, $capacity, $account_manager_id, $active)
on conflict (username) do update
set display_name = excluded.display_name, team_id = excluded.team_id, capacity = excluded.capacity,
    account_manager_id = excluded.account_manager_id, active = excluded.active
where $replace
