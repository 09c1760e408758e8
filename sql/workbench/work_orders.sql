-- grain: one row per work order in the user's regions matching the filters, newest first
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
    select work_order_id, task_id, subscriber_id, city_code, department, description, amount, status, created_by,
        created_at, approved_by, updated_by, updated_at, version
    from work_order
)

select * from final
order by created_at desc, work_order_id desc
limit 1000
