-- grain: one row per subscriber holding at least $min_points unredeemed loyalty points at the end of the period
-- who has not redeemed any for $months_without_redemption months (or never): an offer to redeem binds them.
with

params as (
    select
        cast($period as date) as period,
        cast(last_day(cast($period as date)) + interval 1 day as timestamp) as cutoff
),

points as (
    select
        points.subscriber_id,
        sum(points.points_delta) as points_balance,
        sum(points.points) filter (where points.txn_type = 'redeem') as points_redeemed,
        max(points.txn_time) filter (where points.txn_type = 'redeem') as last_redeemed_at
    from dw.fct_points as points
    cross join params
    where points.txn_time < params.cutoff
    group by points.subscriber_id
),

features as (
    select subscriber_id, city_code, value_tier
    from mart.mart_subscriber_features
    where month = (select period from params)
        and status <> 'churned'
),

joined as (
    select features.*, points.points_balance, coalesce(points.points_redeemed, 0) as points_redeemed,
        cast(points.last_redeemed_at as date) as last_redeemed
    from features
    inner join points
        on points.subscriber_id = features.subscriber_id
    cross join params
    where points.points_balance >= $min_points
        and (points.last_redeemed_at is null
            or points.last_redeemed_at < params.cutoff - to_months(cast($months_without_redemption as integer)))
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
        json_object('points_balance', points_balance, 'points_redeemed', points_redeemed,
            'last_redeemed', last_redeemed)::varchar as evidence_json
    from joined
)

select * from final
