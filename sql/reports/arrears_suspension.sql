-- grain: one row per city and value tier in the chosen month: suspensions and arrears at month end
with

features as (
    select * from mart.mart_subscriber_features
),

month_rows as (
    select * from features
    where month = $period
        and is_active
        and (cast($city as varchar) is null or city_code = $city)
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

final as (
    select
        city_code,
        value_tier,
        count(*) as subscribers,
        count(*) filter (where is_suspended) as suspended,
        count(*) filter (where is_suspended) / count(*) as suspended_share,
        count(*) filter (where coalesce(amount_owed, 0) > 0) as in_arrears,
        cast(coalesce(sum(amount_owed) filter (where amount_owed > 0), 0) as decimal(18, 2)) as amount_owed,
        coalesce(sum(days_suspended) filter (where is_suspended), 0) as days_suspended,
        coalesce(sum(days_suspended) filter (where is_suspended), 0) / nullif(count(*) filter (where is_suspended), 0) as average_days_suspended
    from month_rows
    group by city_code, value_tier
)

select * from final
order by city_code, value_tier
