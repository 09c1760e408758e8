-- grain: one row per snapshot-base member of the clicked city and tier not retained in the chosen month
with

base as (
    select * from dw.snapshot_base
),

fct as (
    select subscriber_id, is_active from dw.fct_subscriber_month where month = $period
),

subscriber as (
    select * from dw.dim_subscriber where is_current
),

lost as (
    select base.*
    from base
    left join fct on fct.subscriber_id = base.subscriber_id
    where base.city_code = $city_code
        and base.value_tier = $value_tier
        and not coalesce(fct.is_active, false)
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

final as (
    select
        lost.subscriber_id,
        subscriber.msisdn,
        lost.city_code,
        lost.district_code,
        lost.value_tier,
        lost.plan_code,
        subscriber.status
    from lost
    left join subscriber on subscriber.subscriber_id = lost.subscriber_id
)

select * from final
order by subscriber_id
