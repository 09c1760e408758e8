-- grain: one row per plan of the newest plan catalogue delivery.
-- refresh: full
-- input: stg.plan
with

plan as (
    select * from stg.plan
    where _business_date = (select max(_business_date) from stg.plan)
),

final as (
    select
        plan_code,
        plan_name,
        payment_type,
        monthly_fee,
        data_allowance_mb,
        voice_allowance_min,
        plan_family
    from plan
)

select * from final
