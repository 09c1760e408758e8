-- grain: one row per region (province, city or district) of the newest region delivery, with the hierarchy
-- flattened so that a district row also says its city and province (reports roll up without recursion).
-- a source without a region catalogue (a churn snapshot with its own state, city and zip) brings its geography in
-- the core's columns: the regions the catalogue lacks are added from the newest snapshot that names them.
-- refresh: full
-- input: stg.region
-- input: stg.core_subscription (province_code, province_name, city_code, city_name, district_code, district_name) all
with

region as (
    select * from stg.region
    where _business_date = (select max(_business_date) from stg.region)
),

core_geography as (
    select province_code, province_name, city_code, city_name, district_code, district_name
    from stg.core_subscription
    qualify row_number() over (
        partition by city_code, district_code order by _business_date desc, _load_id desc, _line desc) = 1
),

delivered as (
    select distinct
        province_code as region_code, coalesce(province_name, province_code) as region_name, 'province' as region_level,
        cast(null as varchar) as parent_code
    from core_geography
    where province_code is not null
    union all
    select distinct
        city_code, coalesce(city_name, city_code), 'city', province_code
    from core_geography
    union all
    select distinct
        district_code, coalesce(district_name, district_code), 'district', city_code
    from core_geography
    where district_code is not null
),

-- one row per code the catalogue lacks (a city that changed its name keeps the newest name)
delivered_regions as (
    select
        region_code,
        any_value(region_name) as region_name,
        any_value(region_level) as region_level,
        any_value(parent_code) as parent_code
    from delivered
    where region_code not in (select region_code from region where region_code is not null)
    group by region_code
),

regions as (
    select region_code, region_name, region_name_zh, region_level, parent_code from region
    union all
    select region_code, region_name, cast(null as varchar), region_level, parent_code from delivered_regions
),

-- the hierarchy flattened: a district also names its city and province, whichever source delivered them
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
    from regions as region
    left join regions as city
        on region.region_level = 'district'
        and city.region_code = region.parent_code
)

select * from final
