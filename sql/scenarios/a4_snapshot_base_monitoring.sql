-- grain: one row per snapshot-base member (拍照用户) whose standing in the period is worse than at the base date:
-- churned in the period, a lower value tier than at the base, or a star level at least $min_star_drop below it.
-- these are the members that move the base's retention rate (保有率).
with

-- the member's tier and star level at the base are columns of the feature mart
features as (
    select subscriber_id, city_code, value_tier, star_level, status, base_date, base_value_tier, base_star_level
    from mart.mart_subscriber_features
    where month = cast($period as date)
        and in_snapshot_base
),

tiers as (
    -- sort_order 1 is the highest tier
    select value_tier, sort_order from dw.dim_value_tier
),

compared as (
    select
        features.*,
        $include_churned and features.status = 'churned' as churned,
        $include_tier_downgrade and current_tier.sort_order > base_tier.sort_order as tier_down,
        coalesce(features.star_level <= features.base_star_level - $min_star_drop, false) as star_down
    from features
    left join tiers as current_tier
        on current_tier.value_tier = features.value_tier
    left join tiers as base_tier
        on base_tier.value_tier = features.base_value_tier
),

final as (
    select
        subscriber_id,
        city_code,
        value_tier,
        greatest(churned::int * 1.0, coalesce(tier_down, false)::int * 0.7, star_down::int * 0.5) as score,
        format('snapshot-base member since {} (tier {}, star level {}): ', strftime(base_date, '%Y-%m-%d'),
            coalesce(base_value_tier, '?'), coalesce(base_star_level::varchar, '?'))
        || concat_ws('; ',
            case when churned then 'churned this month' end,
            case when tier_down then format('value tier now {}', coalesce(value_tier, '?')) end,
            case when star_down then format('star level now {}', coalesce(star_level::varchar, '?')) end) as evidence,
        json_object('base_date', base_date, 'base_value_tier', base_value_tier, 'base_star_level', base_star_level,
            'churned', churned, 'value_tier', value_tier, 'star_level', star_level)::varchar as evidence_json
    from compared
    where churned or coalesce(tier_down, false) or star_down
)

select * from final
