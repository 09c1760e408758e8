-- grain: one row: whether a team id is taken
select count(*) as teams from ops.team where team_id = $team_id
