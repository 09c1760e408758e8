-- grain: one row per callback the agent has scheduled between $from and $to (their calendar), with the customer's name
with

task as (
    select * from ops.task
    where assigned_to = $username
      and status = 'callback'
      and callback_at >= $from and callback_at < $to
      and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

subscriber as (
    select subscriber_id, customer_id from dw.dim_subscriber where is_current and subscriber_id in (select subscriber_id from task)
),

final as (
    select task.task_id, task.subscriber_id, customer.customer_name, task.city_code, task.callback_at, task.scenario_ids,
        task.attempts
    from task
    left join subscriber
        on subscriber.subscriber_id = task.subscriber_id
    left join dw.dim_customer as customer
        on customer.customer_id = subscriber.customer_id
)

select * from final
order by callback_at, task_id
