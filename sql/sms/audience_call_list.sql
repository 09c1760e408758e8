-- grain: one row per subscriber with a task in the campaign, within the requester's scope. not_reached: only tasks
-- tried by call (attempted or with a call contact) whose calls never reached the subscriber, and not closed as done
with

tasks as (
    select * from ops.task
    where campaign_id = $campaign_id
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

calls as (
    select task_id, count(*) as calls, count(*) filter (where outcome = 'reached') as reached
    from ops.contact
    where channel = 'call' and task_id in (select task_id from tasks)
    group by task_id
),

final as (
    select tasks.subscriber_id, any_value(tasks.city_code) as city_code
    from tasks
    left join calls
        on calls.task_id = tasks.task_id
    where not $not_reached
        or (tasks.status <> 'done'
            and (tasks.attempts > 0 or coalesce(calls.calls, 0) > 0)
            and coalesce(calls.reached, 0) = 0)
    group by tasks.subscriber_id
)

select * from final
