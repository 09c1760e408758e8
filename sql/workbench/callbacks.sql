-- grain: one row per callback the agent has scheduled between $from and $to (their calendar)
with

task as (
    select * from ops.task
    where assigned_to = $username
      and status = 'callback'
      and callback_at >= $from and callback_at < $to
      and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

final as (
    select task_id, subscriber_id, callback_at, scenario_ids, attempts
    from task
)

select * from final
order by callback_at, task_id
