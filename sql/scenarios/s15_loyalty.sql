-- grain: one row per long-standing subscriber (tenure at least $min_tenure_months) whose loyalty score at the end
-- of the period is below $max_loyalty_pct out of 100. the score adds tenure (up to 40), a binding contract (20),
-- bundles (active vas or broadband, 20) and star level (up to 20), and subtracts switching signals: a forwarding to
-- another network (30), at least half the voice minutes to other networks (20), complaints in 90 days (10).
with

features as (
    select subscriber_id, city_code, value_tier, tenure_months, months_to_contract_end, star_level,
        has_active_forwarding_offnet, offnet_share, complaints_90d, vas_active
    from mart.mart_subscriber_features
    where month = cast($period as date)
        and status <> 'churned'
        and tenure_months >= $min_tenure_months
),

-- a bundle only adds to the score: a subscriber at or above the threshold without one is above it with one too, so
-- the broadband bundles are looked up only for the subscribers that can still alert
unbundled as (
    select
        *,
        greatest(0.0, least(100.0, round(40 * least(tenure_months, 60) / 60.0
            + 20 * (months_to_contract_end is not null)::int
            + 20 * least(coalesce(star_level, 0), 7) / 7.0
            - 30 * coalesce(has_active_forwarding_offnet, false)::int
            - 20 * coalesce(offnet_share >= 0.5, false)::int
            - 10 * (complaints_90d > 0)::int, 1))) as loyalty_without_bundle
    from features
),

candidates as (
    select * exclude (loyalty_without_bundle)
    from unbundled
    where loyalty_without_bundle < $max_loyalty_pct
),

-- a bundle: a value-added service active at the month end (the mart counts them) or an active broadband line
bundled as (
    select
        *,
        coalesce(vas_active > 0, false)
            or subscriber_id in (
                select subscriber_id from dw.fct_broadband where status = 'active' and subscriber_id is not null)
            as has_bundle
    from candidates
),

scored as (
    select
        *,
        months_to_contract_end is not null as under_contract,
        coalesce(offnet_share >= 0.5, false) as mostly_offnet,
        round(40 * least(tenure_months, 60) / 60.0
            + 20 * (months_to_contract_end is not null)::int
            + 20 * has_bundle::int
            + 20 * least(coalesce(star_level, 0), 7) / 7.0
            - 30 * coalesce(has_active_forwarding_offnet, false)::int
            - 20 * coalesce(offnet_share >= 0.5, false)::int
            - 10 * (complaints_90d > 0)::int, 1) as raw_loyalty
    from bundled
),

tiered as (
    select *, greatest(0.0, least(100.0, raw_loyalty)) as loyalty
    from scored
),

final as (
    select
        subscriber_id,
        city_code,
        value_tier,
        1 - loyalty / 100.0 as score,
        format('loyalty {:.0f}/100 (at risk): tenure {} months, {}, {}, star level {}', loyalty, tenure_months,
            case when under_contract then 'under contract' else 'no contract' end,
            case when has_bundle then 'bundled' else 'no bundle' end,
            coalesce(star_level, 0))
        || concat_ws('', case when has_active_forwarding_offnet then ', forwards to another network' end,
            case when mostly_offnet then format(', {:.0f}% of voice to other networks', 100 * offnet_share) end,
            case when complaints_90d > 0 then format(', {} complaint(s) in 90 days', complaints_90d) end) as evidence,
        json_object('loyalty', loyalty, 'tenure_months', tenure_months, 'under_contract', under_contract,
            'has_bundle', has_bundle, 'star_level', star_level, 'forwards_offnet', has_active_forwarding_offnet,
            'offnet_share', round(offnet_share, 4), 'complaints_90d', complaints_90d)::varchar as evidence_json
    from tiered
    where loyalty < $max_loyalty_pct
)

select * from final
