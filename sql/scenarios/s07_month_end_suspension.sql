-- grain: one row per prepaid subscriber whose balance at the end of the period does not cover the fee deducted
-- at the turn of the month by more than $min_shortfall: suspended unless the customer tops up.
with

features as (
    select subscriber_id, city_code, value_tier, balance, fee_due_month_end, shortfall
    from mart.mart_subscriber_features
    where month = cast($period as date)
        and payment_type = 'prepaid'
        and status = 'active'
        and shortfall is not null
),

final as (
    select
        subscriber_id,
        city_code,
        value_tier,
        least(1.0, greatest(0.0, shortfall::double / nullif(fee_due_month_end::double, 0))) as score,
        format('balance {:.2f} below the month-end fee {:.2f}, short {:.2f}',
            balance::double, fee_due_month_end::double, shortfall::double) as evidence,
        json_object('balance', balance, 'fee_due_month_end', fee_due_month_end, 'shortfall', shortfall)::varchar
            as evidence_json
    from features
    where shortfall > $min_shortfall
)

select * from final
