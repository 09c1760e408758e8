-- grain: one row per city and month in the chosen months, cities of the viewer's scope (the province is the
-- engine's subtotal per month, recomputed from the cities shown, so a city manager's subtotal is their city)
with

kpi as (
    select * from mart.mart_retention_kpi_city_month
),

scoped as (
    select * from kpi
    where not is_province_total
        and month between $from_month and $to_month
        and (cast($city as varchar) is null or city_code = $city)
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

final as (
    select
        month,
        year_month,
        city_code,
        subscribers,
        active_subscribers,
        active_previous_month,
        churn_base,
        churned,
        churn_rate,
        new_activations,
        net_adds,
        base_size,
        base_retained,
        retention_rate,
        cast(revenue as decimal(18, 2)) as revenue,
        arpu
    from scoped
)

select * from final
order by year_month, city_code
