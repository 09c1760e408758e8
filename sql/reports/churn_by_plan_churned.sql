-- grain: one row per subscriber who churned in the chosen month with the clicked plan and city (the churned cell),
-- with the churn category and reason the delivery gave
with

cube as (
    select * from mart.cube_subscriber_month
),

subscriber as (
    select * from dw.dim_subscriber where is_current
),

churned as (
    select * from cube
    where month = $period
        and plan_code = $plan_code
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
        'churned' as status,
        concat_ws(': ', churned.churn_category_name_en, nullif(churned.churn_reason_name_en, churned.churn_category_name_en)) as detail,
        churned.revenue as amount
    from churned
    left join subscriber on subscriber.subscriber_id = churned.subscriber_id
)

select * from final
order by subscriber_id
