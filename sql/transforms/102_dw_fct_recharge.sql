-- grain: one row per prepaid top-up; the same top-up delivered twice keeps the newest load.
create or replace table dw.fct_recharge as

with

recharge as (
    select * from stg.recharge
    qualify row_number() over (partition by recharge_id order by _business_date desc, _load_id desc, _line desc) = 1
),

final as (
    select
        recharge_id,
        subscriber_id,
        recharge_time,
        cast(recharge_time as date) as recharge_date,
        amount,
        channel_code
    from recharge
)

select * from final
