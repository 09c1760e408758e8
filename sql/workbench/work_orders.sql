-- grain: one row per work order in the user's regions matching the filters, newest first (who made it by name is
-- looked up by the caller: workbench/agent_names.sql)
with

work_order as (
    select * from ops.work_order
    where ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
      and ($work_order_id is null or work_order_id = $work_order_id)
      and ($task_id is null or task_id = $task_id)
      and ($created_by is null or created_by = $created_by)
      and ($department is null or department = $department)
      and ($status is null or status = $status)
),

final as (
    select work_order.work_order_id, work_order.task_id, work_order.subscriber_id, work_order.city_code,
        work_order.department, work_order.description, work_order.amount, work_order.status, work_order.created_by,
        work_order.created_at, work_order.approved_by, work_order.updated_by, work_order.updated_at, work_order.version,
        cast(null as varchar) as created_by_name
    from work_order
)

select * from final
order by created_at desc, work_order_id desc
limit 1000
