-- grain: one row per unsubscription of the clicked product in the chosen month
with

vas_order as (
    select * from dw.fct_vas_order
),

subscriber as (
    select * from dw.dim_subscriber where is_current
),

final as (
    select
        vas_order.subscriber_id,
        subscriber.msisdn,
        subscriber.city_code,
        subscriber.district_code,
        subscriber.value_tier,
        subscriber.plan_code,
        subscriber.status,
        vas_order.order_date as event_date
    from vas_order
    join subscriber on subscriber.subscriber_id = vas_order.subscriber_id
    where date_trunc('month', vas_order.order_date) = $period
        and vas_order.action = 'unsubscribe'
        and vas_order.vas_code = $vas_code
        and (cast($city as varchar) is null or subscriber.city_code = $city)
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
)

select * from final
order by subscriber_id, event_date
