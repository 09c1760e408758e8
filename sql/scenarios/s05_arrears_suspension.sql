-- grain: one row per subscriber suspended at the end of the period while owing money (arrears), suspended for at
-- least $min_days_suspended days and owing at least $min_amount_owed.
with

features as (
    select subscriber_id, city_code, value_tier, coalesce(days_suspended, 0) as days_suspended, amount_owed
    from mart.mart_subscriber_features
    where month = cast($period as date)
        and is_suspended
        and amount_owed > 0
),

final as (
    select
        subscriber_id,
        city_code,
        value_tier,
        0.5 * least(1.0, amount_owed::double / 200) + 0.5 * least(1.0, days_suspended / 60.0) as score,
        format('suspended for non-payment for {} days, owes {:.2f}', days_suspended, amount_owed::double) as evidence,
        json_object('days_suspended', days_suspended, 'amount_owed', amount_owed)::varchar as evidence_json
    from features
    where days_suspended >= $min_days_suspended
        and amount_owed >= $min_amount_owed
)

select * from final
