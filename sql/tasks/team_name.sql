-- grain: one row at most: the name of a team, for the pages that say whose lists they show
select name
from ops.team
where team_id = $team_id
