-- grain: one team as this node's file has it after a change, into the operational database (PostgreSQL only);
-- $replace false: only a team the operational database does not have yet
insert into ops.team (team_id, name, kind, city_code, value_tiers, active, agent_capacity)
values ($team_id, $name, $kind, $city_code, $value_tiers, $active, $agent_capacity)
on conflict (team_id) do update
set name = excluded.name, kind = excluded.kind, city_code = excluded.city_code, value_tiers = excluded.value_tiers,
    active = excluded.active, agent_capacity = excluded.agent_capacity
where $replace
