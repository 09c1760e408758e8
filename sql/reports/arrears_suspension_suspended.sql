-- grain: one row per subscriber of the clicked city and tier suspended at the end of the chosen month
with

features as (
    select * from mart.mart_subscriber_features
),

subscriber as (
    -- no city_code: the row's own city is the one the scope filters
    select subscriber_id, msisdn, district_code, plan_code, status from dw.dim_subscriber where is_current
),

final as (
    select
        features.subscriber_id,
        subscriber.msisdn,
        features.city_code,
        features.district_code,
        features.value_tier,
        features.plan_code,
        features.status,
        cast(features.amount_owed as decimal(18, 2)) as amount,
        coalesce(features.days_suspended, 0) as days_suspended
    from features
    left join subscriber on subscriber.subscriber_id = features.subscriber_id
    where features.month = $period
        and features.is_active
        and features.is_suspended
        and features.city_code = $city_code
        and features.value_tier = $value_tier
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
)

select * from final
order by subscriber_id
