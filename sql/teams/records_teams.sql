-- grain: one row per team, every column (the teams a node keeps, and what it publishes to or restores from the
-- operational database)
select team_id, name, kind, city_code, value_tiers, active, agent_capacity
from ops.team
order by team_id
