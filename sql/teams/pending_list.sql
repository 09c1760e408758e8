-- grain: one row per team or agent whose publication is still owed
select kind, record_key
from ops.team_publish_pending
order by kind, record_key
