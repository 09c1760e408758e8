-- grain: one row per version (scd2) of the subscriber: plan, status, tier, star level and region over time,
-- newest first; city and district by name in $lang.
with

versions as (
    select * from dw.dim_subscriber where subscriber_id = $subscriber_id
),

final as (
    select
        cast(versions.version_no as integer) as VersionNo,
        versions.valid_from as ValidFrom,
        case when versions.is_current then null else versions.valid_to end as ValidTo,
        versions.plan_code as PlanCode,
        plan.plan_name as PlanName,
        versions.status as Status,
        versions.value_tier as ValueTier,
        versions.star_level as StarLevel,
        versions.city_code as CityCode,
        versions.district_code as DistrictCode,
        versions.is_current as IsCurrent,
        case when $lang = 'zh' then coalesce(city.region_name_zh, city.region_name) else city.region_name end as CityName,
        case when $lang = 'zh' then coalesce(district.region_name_zh, district.region_name) else district.region_name end as DistrictName
    from versions
    left join dw.dim_plan as plan
        on plan.plan_code = versions.plan_code
    left join dw.dim_region as city
        on city.region_code = versions.city_code
    left join dw.dim_region as district
        on district.region_code = versions.district_code
    order by versions.valid_from desc
)

select * from final
