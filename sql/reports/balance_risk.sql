-- grain: one row per city and value tier: prepaid subscribers in the chosen month with a small balance, and those whose
-- balance does not cover the fee due at month end (they will be suspended by the month-end deduction)
with

features as (
    select * from mart.mart_subscriber_features
),

prepaid as (
    select * from features
    where month = $period
        and is_active
        and payment_type = 'prepaid'
        and (cast($city as varchar) is null or city_code = $city)
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

final as (
    select
        city_code,
        value_tier,
        count(*) as prepaid_subscribers,
        count(*) filter (where balance < $small_balance) as small_balance,
        count(*) filter (where balance < $small_balance) / count(*) as small_balance_share,
        count(*) filter (where shortfall > 0) as at_risk,
        count(*) filter (where shortfall > 0) / count(*) as at_risk_share,
        cast(coalesce(sum(shortfall) filter (where shortfall > 0), 0) as decimal(18, 2)) as shortfall
    from prepaid
    group by city_code, value_tier
)

select * from final
order by city_code, value_tier
