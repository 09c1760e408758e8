-- grain: one row per subscriber whose star (membership) level went down by at least $min_level_drop this period
-- (or up by as much, when $include_upgrades).
with

features as (
    select subscriber_id, city_code, value_tier, star_level, star_level_previous, star_level_change
    from mart.mart_subscriber_features
    where month = cast($period as date)
        and status <> 'churned'
        and star_level_change is not null
),

star_names as (
    select star_level, name_en from dw.dim_star_level
),

changed as (
    select *
    from features
    where star_level_change <= -$min_level_drop
        or ($include_upgrades and star_level_change >= $min_level_drop)
),

final as (
    select
        changed.subscriber_id,
        changed.city_code,
        changed.value_tier,
        -- a fall from a high level matters most; an upgrade is a thank-you, not a rescue
        case when changed.star_level_change < 0
            then least(1.0, 0.4 + 0.15 * -changed.star_level_change + 0.05 * changed.star_level_previous)
            else 0.1 end as score,
        format('star level {} → {} ({} {})',
            coalesce(previous_name.name_en, changed.star_level_previous::varchar),
            coalesce(current_name.name_en, changed.star_level::varchar),
            case when changed.star_level_change < 0 then 'down' else 'up' end,
            abs(changed.star_level_change)) as evidence,
        json_object('star_level_previous', changed.star_level_previous, 'star_level', changed.star_level,
            'change', changed.star_level_change)::varchar as evidence_json
    from changed
    left join star_names as previous_name
        on previous_name.star_level = changed.star_level_previous
    left join star_names as current_name
        on current_name.star_level = changed.star_level
)

select * from final
