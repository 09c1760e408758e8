-- grain: one row: the city of a task of the campaign (none: another campaign's or unknown)
select city_code from ops.task where task_id = $task_id and campaign_id = $campaign_id
