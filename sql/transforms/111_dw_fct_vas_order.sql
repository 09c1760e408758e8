-- grain: one row per vas order (subscribe or unsubscribe); the same order delivered twice keeps the newest load.
create or replace table dw.fct_vas_order as

with

vas_order as (
    select * from stg.vas_order
    qualify row_number() over (partition by order_id order by _business_date desc, _load_id desc, _line desc) = 1
),

final as (
    select
        order_id,
        subscriber_id,
        vas_code,
        action,
        order_time,
        cast(order_time as date) as order_date,
        channel_code
    from vas_order
)

select * from final
