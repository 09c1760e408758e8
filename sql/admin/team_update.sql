-- grain: one team's name, kind, city, value tiers and whether it is active
update ops.team
set name = $name, kind = $kind, city_code = $city_code, value_tiers = $value_tiers, active = $active
where team_id = $team_id
