-- grain: one row per listed task id ($task_ids, comma-separated) that exists: the campaign its SMS contact lands on
select task_id, campaign_id
from ops.task
where task_id in (select cast(unnest(string_split($task_ids, ',')) as bigint))
