-- grain: one row per city and points-balance band (balances now): holders, points held, and redemptions in the
-- chosen month (the subscriber's current city)
with

balance as (
    select * from dw.points_balance
),

points as (
    select * from dw.fct_points
),

subscriber as (
    select * from dw.dim_subscriber where is_current
),

redeemed as (
    select subscriber_id, count(*) as redemptions, sum(abs(points_delta)) as points_redeemed
    from points
    where txn_type = 'redeem' and date_trunc('month', txn_date) = $period
    group by subscriber_id
),

holders as (
    select
        balance.subscriber_id,
        subscriber.city_code,
        balance.points_balance,
        case
            when balance.points_balance >= 10000 then '4: 10000+'
            when balance.points_balance >= 5000 then '3: 5000-9999'
            when balance.points_balance >= 1000 then '2: 1000-4999'
            else '1: 0-999'
        end as balance_band,
        coalesce(redeemed.redemptions, 0) as redemptions,
        coalesce(redeemed.points_redeemed, 0) as points_redeemed
    from balance
    join subscriber on subscriber.subscriber_id = balance.subscriber_id
    left join redeemed on redeemed.subscriber_id = balance.subscriber_id
    where subscriber.status <> 'churned'
        and (cast($city as varchar) is null or subscriber.city_code = $city)
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

final as (
    select
        balance_band,
        city_code,
        count(*) as holders,
        sum(points_balance) as points_balance,
        count(*) filter (where redemptions > 0) as redeemers,
        count(*) filter (where redemptions > 0) / count(*) as redeemer_share,
        sum(points_redeemed) as points_redeemed
    from holders
    group by all
)

select * from final
order by balance_band, city_code
