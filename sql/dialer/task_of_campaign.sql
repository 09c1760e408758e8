-- grain: one task by id within a campaign (a results file names tasks of the campaign it was exported for)
select task_id, campaign_id, subscriber_id, city_code, status, assigned_to, version, attempts
from ops.task
where task_id = $task_id
  and campaign_id = $campaign_id
