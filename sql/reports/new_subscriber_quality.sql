-- grain: one row per activation month and channel: the cohort of new subscribers and how it fared after 30/60/90 days
-- (the month-end snapshots 1, 2 and 3 months after activation; a later month not yet loaded is not observed)
with

fct as (
    select * from dw.fct_subscriber_month
),

as_of as (
    select * from dw.as_of
),

cohort as (
    select subscriber_id, month as cohort_month, city_code, channel_code, voice_minutes + data_mb + sms_count = 0 as zero_usage
    from fct
    where is_new
        and month between $from_month and $to_month
        and (cast($city as varchar) is null or city_code = $city)
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

later as (
    select
        cohort.subscriber_id,
        max(case when fct.month = cohort.cohort_month + interval 1 month then fct.is_active::int end) as active_30,
        max(case when fct.month = cohort.cohort_month + interval 2 month then fct.is_active::int end) as active_60,
        max(case when fct.month = cohort.cohort_month + interval 3 month then fct.is_active::int end) as active_90,
        max(case when fct.month <= cohort.cohort_month + interval 3 month and fct.status = 'suspended' then 1 else 0 end) as early_suspension
    from cohort
    left join fct on fct.subscriber_id = cohort.subscriber_id and fct.month > cohort.cohort_month
    group by cohort.subscriber_id
),

members as (
    select
        cohort.*,
        cohort.cohort_month + interval 1 month <= as_of.as_of_month as observed_30,
        cohort.cohort_month + interval 3 month <= as_of.as_of_month as observed_90,
        -- a subscriber missing from an observed later snapshot has left
        coalesce(later.active_30, 0) as active_30,
        coalesce(later.active_90, 0) as active_90,
        later.early_suspension
    from cohort
    cross join as_of
    left join later on later.subscriber_id = cohort.subscriber_id
),

final as (
    select
        cohort_month as month,
        strftime(cohort_month, '%Y-%m') as year_month,
        members.channel_code,
        count(*) as new_subscribers,
        count(*) filter (where zero_usage) as zero_usage,
        count(*) filter (where observed_30) as observed_30,
        count(*) filter (where observed_30 and active_30 = 1) as active_30,
        count(*) filter (where observed_30 and active_30 = 1) / nullif(count(*) filter (where observed_30), 0) as active_30_rate,
        count(*) filter (where observed_90) as observed_90,
        count(*) filter (where observed_90 and active_90 = 1) as active_90,
        count(*) filter (where observed_90 and active_90 = 1) / nullif(count(*) filter (where observed_90), 0) as active_90_rate,
        count(*) filter (where early_suspension = 1) as early_suspension
    from members
    group by all
)

select * from final
order by year_month, channel_code
