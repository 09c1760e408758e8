-- grain: one row: distinct subscribers in the newest month of the subscription snapshot in staging
with subscription as (
    select subscriber_id, _business_date as business_date from stg.subscription
),

latest_month as (
    select max(date_trunc('month', business_date)) as month_start from subscription
),

final as (
    select
        any_value(latest_month.month_start) as month_start,
        count(distinct subscription.subscriber_id) as subscribers
    from subscription
    cross join latest_month
    where date_trunc('month', subscription.business_date) = latest_month.month_start
)

select * from final
