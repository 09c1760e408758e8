-- grain: one row per scenario and city: the alerts the detectors raised for the chosen period
with

alert as (
    select * from det.alert
),

scenario as (
    select * from det.scenario
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
        coalesce(case $lang when 'de' then scenario.name_de when 'zh' then scenario.name_zh else scenario.name_en end, alerts.scenario_id) as scenario_name,
        alerts.city_code,
        count(*) as alerts,
        count(*) filter (where alerts.value_tier in ('high', 'mid')) as high_mid_value,
        sum(alerts.score) as score_sum,
        sum(alerts.score) / count(*) as average_score
    from alerts
    left join scenario on scenario.scenario_id = alerts.scenario_id
    group by all
)

select * from final
order by scenario_id, city_code
