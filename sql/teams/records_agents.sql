-- grain: one row per agent record, every column
select username, display_name, team_id, capacity, account_manager_id, active
from ops.agent
order by username
