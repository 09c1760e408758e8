-- grain: one row per city the viewer's scope allows, named in the viewer's language (report city parameter)
with

region as (
    select * from dw.dim_region
),

final as (
    select
        city_code,
        case when $lang = 'zh' then coalesce(city_name_zh, city_name) else city_name end as name
    from region
    where region_level = 'city'
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
)

select * from final
order by city_code
