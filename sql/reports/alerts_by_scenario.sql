-- grain: one row per scenario and city: the alerts the detectors raised for the chosen period
with

alert as (
    select * from det.alert
),

alerts as (
    select * from alert
    where period = $period
        and (cast($city as varchar) is null or city_code = $city)
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

final as (
    select
        alerts.scenario_id,
        alerts.city_code,
        count(*) as alerts,
        count(*) filter (where alerts.value_tier in ('high', 'mid')) as high_mid_value,
        sum(alerts.score) as score_sum,
        sum(alerts.score) / count(*) as average_score
    from alerts
    group by all
)

select * from final
order by scenario_id, city_code
