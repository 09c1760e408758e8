-- grain: one row per requested task id that exists (the caller checks region and version)
with

requested as (
    select distinct cast(unnest(string_split($task_ids, ',')) as bigint) as task_id
),

final as (
    select task.task_id, task.campaign_id, task.subscriber_id, task.city_code, task.status, task.assigned_to,
        task.version, task.attempts, task.scenario_ids
    from ops.task as task
    inner join requested
        on requested.task_id = task.task_id
)

select * from final
