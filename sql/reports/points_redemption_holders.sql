-- grain: one row per subscriber of the clicked city and balance band
with

balance as (
    select * from dw.points_balance
),

subscriber as (
    select * from dw.dim_subscriber where is_current
),

final as (
    select
        balance.subscriber_id,
        subscriber.msisdn,
        subscriber.city_code,
        subscriber.district_code,
        subscriber.value_tier,
        subscriber.plan_code,
        subscriber.status,
        balance.points_balance as points
    from balance
    join subscriber on subscriber.subscriber_id = balance.subscriber_id
    where subscriber.status <> 'churned'
        and subscriber.city_code = $city_code
        and case
                when balance.points_balance >= 10000 then '4: 10000+'
                when balance.points_balance >= 5000 then '3: 5000-9999'
                when balance.points_balance >= 1000 then '2: 1000-4999'
                else '1: 0-999'
            end = $balance_band
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
)

select * from final
order by subscriber_id
