-- grain: one row per prepaid subscriber whose deposit (balance) at the end of the period covers less than
-- $max_balance_months months of the plan fee while voice or data traffic fell below (100 − $traffic_drop_pct)%
-- of the 3-month average: the line is running dry and being used elsewhere.
with

features as (
    select subscriber_id, city_code, value_tier, balance, fee_due_month_end, recharge_amount, voice_trend, data_trend
    from mart.mart_subscriber_features
    where month = cast($period as date)
        and payment_type = 'prepaid'
        and status <> 'churned'
        and balance is not null
        and fee_due_month_end > 0
),

signals as (
    select
        *,
        balance::double / fee_due_month_end::double as months_covered,
        coalesce(round(voice_trend * 100, 6) < 100 - $traffic_drop_pct, false) as voice_drop,
        coalesce(round(data_trend * 100, 6) < 100 - $traffic_drop_pct, false) as data_drop
    from features
    where balance < fee_due_month_end * $max_balance_months
),

final as (
    select
        subscriber_id,
        city_code,
        value_tier,
        least(1.0, 0.5 * greatest(0.0, 1 - months_covered / $max_balance_months)
            + 0.5 * greatest(0.0, 1 - least(coalesce(voice_trend, 1), coalesce(data_trend, 1)))) as score,
        format('balance {:.2f} covers {:.2f} months of the {:.2f} fee; top-ups this period {:.2f}; ',
            balance::double, months_covered, fee_due_month_end::double, coalesce(recharge_amount, 0)::double)
        || concat_ws(', ',
            case when voice_drop then format('voice −{:.0f}%', 100 - 100 * voice_trend) end,
            case when data_drop then format('data −{:.0f}%', 100 - 100 * data_trend) end)
        || ' vs the 3-month average' as evidence,
        json_object('balance', balance, 'fee_due_month_end', fee_due_month_end, 'months_covered', round(months_covered, 3),
            'recharge_amount', recharge_amount, 'voice_trend', round(voice_trend, 4), 'data_trend', round(data_trend, 4))::varchar
            as evidence_json
    from signals
    where voice_drop or data_drop
)

select * from final
