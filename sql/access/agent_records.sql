-- grain: one row per agent record: the team and capacity an agent works with (a few hundred at most)
select username, team_id, capacity
from ops.agent
