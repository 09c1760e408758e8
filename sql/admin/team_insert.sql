-- grain: one new team (the admin service checks that the team id is free first)
insert into ops.team (team_id, name, kind, city_code, value_tiers, active)
values ($team_id, $name, $kind, $city_code, $value_tiers, $active)
