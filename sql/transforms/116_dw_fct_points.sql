-- grain: one row per loyalty points transaction; points_delta is signed (earned +, redeemed and expired −).
-- refresh: key points_txn_id
-- input: stg.points
-- month: txn_date
-- order: subscriber_id, txn_time
with

points as (
    select * from stg.points
    {% if is_incremental() %}
    semi join refresh_key using (points_txn_id)
    {% endif %}
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
        item,
        _business_date as delivered_for
    from points
)

select * from final
