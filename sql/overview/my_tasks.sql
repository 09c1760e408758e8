-- grain: one row per task assigned to the user (within their scope), most urgent first
with

task as (
    select * from ops.task
    where assigned_to = $username
      and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

final as (
    select
        task_id,
        subscriber_id,
        city_code,
        value_tier,
        priority_score,
        scenario_ids,
        status,
        due_date,
        attempts,
        updated_at
    from task
)

select * from final
order by priority_score desc, due_date nulls last, task_id
