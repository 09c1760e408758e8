-- grain: one row per subscriber with points transactions: balance = earned − redeemed − expired.
-- refresh: key subscriber_id
-- input: dw.fct_points
-- order: subscriber_id
with

final as (
    select
        subscriber_id,
        -- bigint, not the hugeint sum() gives: a lifetime of points fits, and hugeint arithmetic is far slower
        cast(sum(points) filter (where txn_type = 'earn') as bigint) as points_earned,
        cast(coalesce(sum(points) filter (where txn_type = 'redeem'), 0) as bigint) as points_redeemed,
        cast(coalesce(sum(points) filter (where txn_type = 'expire'), 0) as bigint) as points_expired,
        cast(sum(points_delta) as bigint) as points_balance,
        max(txn_time) filter (where txn_type = 'redeem') as last_redeemed_at,
        max(txn_time) as last_txn_at
    from dw.fct_points
    {% if is_incremental() %}
    where subscriber_id in (select subscriber_id from refresh_key)
    {% endif %}
    group by subscriber_id
)

select * from final
