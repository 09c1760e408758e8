-- grain: one row per city: how many subscribers the detector would flag in the period, within the caller's scope.
with

detected as (
    /*detector*/
),

final as (
    select coalesce(city_code, 'unknown') as city_code, count(distinct subscriber_id) as flagged
    from detected
    where ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
    group by all
)

select * from final order by city_code
