-- grain: one team of the operational database into this node's file, as it is there (changed in place)
update ops.team
set name = $name, kind = $kind, city_code = $city_code, value_tiers = $value_tiers, active = $active,
    agent_capacity = $agent_capacity
where team_id = $team_id
