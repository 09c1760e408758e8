-- grain: one row per subscriber of the chosen value tiers whose bill this period is below (100 − $drop_pct)% of
-- the average of the three months before (the average at least $min_avg_bill). a missing bill counts as 0.
with

features as (
    select subscriber_id, city_code, value_tier, coalesce(arpu, 0) as bill, arpu_avg_3m
    from mart.mart_subscriber_features
    where month = cast($period as date)
        and status <> 'churned'
        and list_contains(string_split($value_tiers, ','), value_tier)
        and arpu_avg_3m >= $min_avg_bill
),

dropped as (
    select *, 1 - bill::double / arpu_avg_3m as drop_share
    from features
    -- strictly below: a bill exactly at the limit is not a drop
    where bill * 100 < arpu_avg_3m * (100 - $drop_pct)
),

final as (
    select
        subscriber_id,
        city_code,
        value_tier,
        least(1.0, greatest(0.0, drop_share)) as score,
        format('bill 3-month average {:.2f} → this month {:.2f}, −{:.0f}%', arpu_avg_3m, bill::double, 100 * drop_share)
            as evidence,
        json_object('bill_avg_3m', arpu_avg_3m, 'bill', bill, 'drop_pct', round(100 * drop_share, 1))::varchar
            as evidence_json
    from dropped
)

select * from final
