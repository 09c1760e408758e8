-- grain: one row per vas category and product: subscriptions and unsubscriptions ordered in the chosen month
-- (the subscriber's current city)
with

vas_order as (
    select * from dw.fct_vas_order
),

product as (
    select * from dw.dim_vas_product
),

subscriber as (
    select * from dw.dim_subscriber where is_current
),

orders as (
    select vas_order.*, subscriber.city_code
    from vas_order
    join subscriber on subscriber.subscriber_id = vas_order.subscriber_id
    where date_trunc('month', vas_order.order_date) = $period
        and (cast($city as varchar) is null or subscriber.city_code = $city)
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

final as (
    select
        coalesce(product.category, 'other') as category,
        orders.vas_code,
        count(*) as orders,
        count(*) filter (where orders.action = 'subscribe') as subscribes,
        count(*) filter (where orders.action = 'unsubscribe') as unsubscribes,
        count(*) filter (where orders.action = 'subscribe') - count(*) filter (where orders.action = 'unsubscribe') as net,
        count(*) filter (where orders.action = 'unsubscribe') / count(*) as unsubscribe_share,
        cast(sum(case when orders.action = 'subscribe' then coalesce(product.monthly_fee, 0) else 0 end) as decimal(18, 2)) as fees_added
    from orders
    left join product on product.vas_code = orders.vas_code
    group by all
)

select * from final
order by category, vas_code
