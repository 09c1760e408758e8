-- grain: one row per city and month the user's scope allows, plus the province total row ('ALL') for
-- province-wide scopes only ('ALL' is not a city of any city list, so the scope predicate drops it)
with

kpi as (
    select * from mart.mart_retention_kpi_city_month
),

scoped as (
    select * from kpi
    where ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

final as (
    select
        year_month,
        city_code,
        city_name,
        city_name_zh,
        is_province_total,
        subscribers,
        active_subscribers,
        active_previous_month,
        churned,
        churn_rate,
        new_activations,
        net_adds,
        base_size,
        base_retained,
        retention_rate,
        cast(revenue as double) as revenue,
        arpu
    from scoped
)

select * from final
order by year_month, is_province_total desc, city_code
