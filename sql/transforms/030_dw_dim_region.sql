-- grain: one row per region (province, city or district) of the newest region delivery, with the hierarchy
-- flattened so that a district row also says its city and province (reports roll up without recursion).
-- refresh: full
-- input: stg.region
with

region as (
    select * from stg.region
    where _business_date = (select max(_business_date) from stg.region)
),

final as (
    select
        region.region_code,
        region.region_name,
        region.region_name_zh,
        region.region_level,
        region.parent_code,
        case region.region_level
            when 'province' then region.region_code
            when 'city' then region.parent_code
            when 'district' then city.parent_code
        end as province_code,
        case region.region_level
            when 'city' then region.region_code
            when 'district' then region.parent_code
        end as city_code,
        case region.region_level
            when 'city' then region.region_name
            when 'district' then city.region_name
        end as city_name,
        case region.region_level
            when 'city' then region.region_name_zh
            when 'district' then city.region_name_zh
        end as city_name_zh,
        case when region.region_level = 'district' then region.region_code end as district_code,
        case when region.region_level = 'district' then region.region_name end as district_name,
        case when region.region_level = 'district' then region.region_name_zh end as district_name_zh
    from region
    left join region as city
        on region.region_level = 'district'
        and city.region_code = region.parent_code
)

select * from final
