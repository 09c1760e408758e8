-- grain: one row per vas order (subscribe or unsubscribe); the same order delivered twice keeps the newest load.
-- refresh: key order_id
-- input: stg.vas_order
-- month: order_date
-- order: subscriber_id, order_time
with

vas_order as (
    select * from stg.vas_order
    {% if is_incremental() %}
    semi join refresh_key using (order_id)
    {% endif %}
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
        channel_code,
        _business_date as delivered_for
    from vas_order
)

select * from final
