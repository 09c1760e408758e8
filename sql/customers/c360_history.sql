-- grain: one row per version (scd2) of the subscriber: plan, status, tier, star level and region over time,
-- newest first.
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
        versions.is_current as IsCurrent
    from versions
    left join dw.dim_plan as plan
        on plan.plan_code = versions.plan_code
    order by versions.valid_from desc
)

select * from final
