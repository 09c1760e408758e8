-- grain: one row per scenario and period behind a task: its own scenarios in its campaign's period, and those of every
-- campaign linked to it (ops only; the alerts are read by subscriber from det and matched in code).
select unnest(string_split(task.scenario_ids, ',')) as scenario_id, campaign.period
from ops.task as task
inner join ops.campaign as campaign
    on campaign.campaign_id = task.campaign_id
where task.task_id = $task_id
union
select unnest(string_split(scenario_ids, ',')), period
from ops.task_link
where task_id = $task_id
