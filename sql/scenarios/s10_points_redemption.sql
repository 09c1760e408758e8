-- grain: one row per subscriber holding at least $min_points unredeemed loyalty points at the end of the period
-- who has not redeemed any for $months_without_redemption months (or never): an offer to redeem binds them.
-- the balance at the end of the period is today's balance less what moved after it: the points fact is in time
-- order, so the transactions after a cutoff are a small read, where summing all history per subscriber is not.
with

params as (
    select cast(last_day(cast($period as date)) + interval 1 day as timestamp) as cutoff
),

moved_after as (
    select points.subscriber_id, sum(points.points_delta) as points_delta
    from dw.fct_points as points
    where points.txn_time >= cast(last_day(cast($period as date)) + interval 1 day as timestamp)
    group by points.subscriber_id
),

balances as (
    select
        balance.subscriber_id,
        cast(balance.points_balance - coalesce(moved_after.points_delta, 0) as bigint) as points_balance
    from dw.points_balance as balance
    left join moved_after
        on moved_after.subscriber_id = balance.subscriber_id
),

features as (
    select features.subscriber_id, features.city_code, features.value_tier, balances.points_balance
    from mart.mart_subscriber_features as features
    inner join balances
        on balances.subscriber_id = features.subscriber_id
    where features.month = cast($period as date)
        and features.status <> 'churned'
        and balances.points_balance >= $min_points
),

redemptions as (
    select points.subscriber_id, max(points.txn_time) as last_redeemed_at
    from dw.fct_points as points
    where points.txn_type = 'redeem'
        and points.txn_time < cast(last_day(cast($period as date)) + interval 1 day as timestamp)
    group by points.subscriber_id
),

joined as (
    select features.*, cast(redemptions.last_redeemed_at as date) as last_redeemed
    from features
    cross join params
    left join redemptions
        on redemptions.subscriber_id = features.subscriber_id
    where redemptions.last_redeemed_at is null
        or redemptions.last_redeemed_at < params.cutoff - to_months(cast($months_without_redemption as integer))
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
