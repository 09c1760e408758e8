-- grain: one row per extract, check and column: the most recent result of that data-quality check
with dq_result as (
    select * from meta.dq_result
),

ranked as (
    select
        *,
        row_number() over (partition by extract, check_name, column_name order by checked_at desc) as recency
    from dq_result
),

final as (
    select
        extract,
        check_name,
        column_name,
        status,
        failing_rows,
        detail,
        checked_at
    from ranked
    where recency = 1
)

select * from final
order by case status when 'fail' then 0 when 'warn' then 1 else 2 end, extract, check_name, column_name
