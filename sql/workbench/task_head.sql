-- grain: one task by id (any region: callers check the task belongs to them before using it)
with

task as (
    select * from ops.task where task_id = $task_id
),

final as (
    select task_id, campaign_id, subscriber_id, city_code, status, assigned_to, version, attempts, scenario_ids
    from task
)

select * from final
