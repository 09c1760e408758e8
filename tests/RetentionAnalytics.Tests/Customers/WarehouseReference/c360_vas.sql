-- grain: one row per vas order of the subscriber (subscribe or unsubscribe), newest first, with whether the
-- service is active now: its newest order is a subscription. older orders are kept when the service is still
-- active (the agent sees since when); otherwise the 12 months up to the as-of month.
with

orders as (
    select * from dw.fct_vas_order where subscriber_id = $subscriber_id
),

newest_per_service as (
    select vas_code, arg_max(action, struct_pack(order_time, order_id)) = 'subscribe' as is_active
    from orders
    group by vas_code
),

final as (
    select
        orders.order_id as OrderId,
        orders.vas_code as VasCode,
        product.vas_name as VasName,
        product.category as Category,
        product.monthly_fee as MonthlyFee,
        orders.action as Action,
        orders.order_time as OrderedAt,
        orders.channel_code as ChannelCode,
        newest_per_service.is_active as ServiceActive
    from orders
    inner join newest_per_service
        on newest_per_service.vas_code = orders.vas_code
    left join dw.dim_vas_product as product
        on product.vas_code = orders.vas_code
    where newest_per_service.is_active
        or orders.order_date >= (select cast(as_of_month - interval 11 month as date) from dw.as_of)
    order by orders.order_time desc, orders.order_id
)

select * from final
