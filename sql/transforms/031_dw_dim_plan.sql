-- grain: one row per plan of the newest plan catalogue delivery, plus every plan (or contract type) the core names
-- that the catalogue lacks: a churn snapshot's contract types ("Month-to-month") are its plans, with their own names.
-- refresh: full
-- input: stg.plan
-- input: stg.core_subscription (plan_code, plan_name, payment_type) all
with

plan as (
    select * from stg.plan
    where _business_date = (select max(_business_date) from stg.plan)
),

catalogue as (
    select
        plan_code,
        plan_name,
        payment_type,
        monthly_fee,
        data_allowance_mb,
        voice_allowance_min,
        plan_family
    from plan
),

delivered as (
    select
        plan_code,
        coalesce(plan_name, plan_code) as plan_name,
        payment_type
    from stg.core_subscription
    where plan_code is not null
        and plan_code not in (select plan_code from catalogue)
    qualify row_number() over (partition by plan_code order by _business_date desc, _load_id desc, _line desc) = 1
),

final as (
    select * from catalogue
    union all
    select
        plan_code,
        plan_name,
        payment_type,
        cast(null as decimal(10,2)) as monthly_fee,
        cast(null as integer) as data_allowance_mb,
        cast(null as integer) as voice_allowance_min,
        cast(null as varchar) as plan_family
    from delivered
)

select * from final
