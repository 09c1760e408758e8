-- grain: one row per new subscriber of the clicked activation month and channel without any usage in that month
with

fct as (
    select * from dw.fct_subscriber_month
),

subscriber as (
    select * from dw.dim_subscriber where is_current
),

cohort as (
    select * from fct
    where is_new
        and month = $month
        and channel_code = $channel_code
        and voice_minutes + data_mb + sms_count = 0
        and (cast($city as varchar) is null or city_code = $city)
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

final as (
    select
        cohort.subscriber_id,
        subscriber.msisdn,
        cohort.city_code,
        cohort.district_code,
        cohort.value_tier,
        cohort.plan_code,
        cohort.status
    from cohort
    left join subscriber on subscriber.subscriber_id = cohort.subscriber_id
)

select * from final
order by subscriber_id
