-- grain: one row per plan (or contract type) and city of the chosen month, cities of the viewer's scope: subscribers,
-- churners and the churn rate on the cube's base (active at the month start; a single snapshot's own subscribers)
with

cube as (
    select * from mart.cube_subscriber_month
),

scoped as (
    select * from cube
    where in_snapshot
        and month = $period
        and (cast($city as varchar) is null or city_code = $city)
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

final as (
    select
        plan_code,
        any_value(plan_name) as plan_name,
        city_code,
        case when $lang = 'zh' then any_value(city_name_zh) else any_value(city_name) end as city_name,
        count(*) as subscribers,
        count(*) filter (where active_at_month_start) as churn_base,
        count(*) filter (where churned_in_month) as churned,
        count(*) filter (where churned_in_month) / nullif(count(*) filter (where active_at_month_start), 0) as churn_rate,
        cast(coalesce(sum(revenue), 0) as decimal(18, 2)) as revenue,
        count(*) filter (where is_active) as active_subscribers
    from scoped
    group by plan_code, city_code
)

select * from final
order by plan_code, city_code
