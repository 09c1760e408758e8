-- grain: one row: whether the reason is an active entry of the managed churn-reason list
select count(*) as found
from ops.churn_reason
where reason_id = $reason and active
