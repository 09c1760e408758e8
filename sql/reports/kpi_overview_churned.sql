-- grain: one row per subscriber who churned in the clicked month and city (the KPI report's churned cell)
with

fct as (
    select * from dw.fct_subscriber_month
),

subscriber as (
    select * from dw.dim_subscriber where is_current
),

churned as (
    select * from fct
    where month = $month
        and city_code = $city_code
        and churned_in_month
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

final as (
    select
        churned.subscriber_id,
        subscriber.msisdn,
        churned.city_code,
        churned.district_code,
        churned.value_tier,
        churned.plan_code,
        churned.status,
        churned.tenure_months
    from churned
    left join subscriber on subscriber.subscriber_id = churned.subscriber_id
)

select * from final
order by subscriber_id
