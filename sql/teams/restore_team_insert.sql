-- grain: one team of the operational database into this node's file, as it is there (new here)
insert into ops.team (team_id, name, kind, city_code, value_tiers, active, agent_capacity)
select $team_id, $name, $kind, $city_code, $value_tiers, $active, $agent_capacity
where not exists (select 1 from ops.team where team_id = $team_id)
