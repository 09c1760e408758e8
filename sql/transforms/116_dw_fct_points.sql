-- grain: one row per loyalty points transaction; points_delta is signed (earned +, redeemed and expired −).
create or replace table dw.fct_points as

with

points as (
    select * from stg.points
    qualify row_number() over (partition by points_txn_id order by _business_date desc, _load_id desc, _line desc) = 1
),

final as (
    select
        points_txn_id,
        subscriber_id,
        txn_time,
        cast(txn_time as date) as txn_date,
        txn_type,
        points,
        case txn_type when 'earn' then points else -points end as points_delta,
        item
    from points
)

select * from final;

-- grain: one row per subscriber with points transactions: balance = earned − redeemed − expired.
create or replace table dw.points_balance as

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
    group by subscriber_id
)

select * from final
