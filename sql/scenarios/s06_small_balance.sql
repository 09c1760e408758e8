-- grain: one row per prepaid subscriber whose balance at the end of the period is below $max_balance.
with

features as (
    select subscriber_id, city_code, value_tier, balance
    from mart.mart_subscriber_features
    where month = cast($period as date)
        and payment_type = 'prepaid'
        and status <> 'churned'
        and balance is not null
),

final as (
    select
        subscriber_id,
        city_code,
        value_tier,
        least(1.0, greatest(0.0, 1 - balance::double / $max_balance)) as score,
        format('prepaid balance {:.2f}, below {:.2f}', balance::double, $max_balance::double) as evidence,
        json_object('balance', balance, 'threshold', $max_balance)::varchar as evidence_json
    from features
    where balance < $max_balance
)

select * from final
