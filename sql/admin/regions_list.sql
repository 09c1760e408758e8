-- grain: one row per region (city or district) of dw.dim_region, with the subscribers currently active in it
with

region as (
    select * from dw.dim_region
    where region_level in ('city', 'district')
),

subscriber as (
    select * from dw.dim_subscriber
    where is_current and status <> 'churned'
),

per_city as (
    select city_code as region_code, count(*) as subscribers from subscriber group by city_code
),

per_district as (
    select district_code as region_code, count(*) as subscribers from subscriber group by district_code
),

final as (
    select
        region.region_code,
        region.region_level,
        region.region_name,
        region.region_name_zh,
        region.city_code,
        coalesce(per_city.subscribers, per_district.subscribers, 0) as subscribers
    from region
    left join per_city
        on region.region_level = 'city' and per_city.region_code = region.region_code
    left join per_district
        on region.region_level = 'district' and per_district.region_code = region.region_code
)

select * from final
order by city_code, region_level, region_code
