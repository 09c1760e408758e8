-- grain: one row per subscriber holding at least $min_points unredeemed loyalty points at the end of the period
-- who has not redeemed any for $months_without_redemption months (or never): an offer to redeem binds them.
-- the balance and the newest redemption at the end of the period are columns of the feature mart.
with

params as (
    select cast(last_day(cast($period as date)) + interval 1 day as timestamp) as cutoff
),

-- the mart holds each subscriber's balance and newest redemption at every month end
joined as (
    select
        features.subscriber_id,
        features.city_code,
        features.value_tier,
        features.points_balance,
        cast(features.last_redeemed_at as date) as last_redeemed
    from mart.mart_subscriber_features as features
    cross join params
    where features.month = cast($period as date)
        and features.status <> 'churned'
        and features.points_balance >= $min_points
        and (features.last_redeemed_at is null
            or features.last_redeemed_at < params.cutoff - to_months(cast($months_without_redemption as integer)))
),

final as (
    select
        subscriber_id,
        city_code,
        value_tier,
        least(1.0, points_balance / (3.0 * greatest($min_points, 1))) as score,
        format('{:,} points unredeemed, {}', points_balance,
            case when last_redeemed is null then 'never redeemed'
                else 'last redemption ' || strftime(last_redeemed, '%Y-%m-%d') end) as evidence,
        json_object('points_balance', points_balance, 'last_redeemed', last_redeemed)::varchar as evidence_json
    from joined
)

select * from final
