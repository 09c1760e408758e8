-- grain: one row per subscriber alerted by the scenario in the period, within the requester's scope
with

alerts as (
    select * from det.alert
    where scenario_id = $scenario_id
        and period = $period
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

final as (
    select subscriber_id, arg_max(city_code, score) as city_code
    from alerts
    group by subscriber_id
)

select * from final
