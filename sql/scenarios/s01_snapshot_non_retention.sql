-- grain: one row per snapshot-base member (拍照用户) still a subscriber in the period who shows a sign of leaving:
-- no usage for $no_usage_days days, suspended, bill or usage far below its own 3-month average.
with

features as (
    select *
    from mart.mart_subscriber_features
    where month = cast($period as date)
        and in_snapshot_base
        and status <> 'churned'
),

signals as (
    select
        subscriber_id,
        city_code,
        value_tier,
        -- days without usage are measured on the daily usage of the newest month; an earlier month without a
        -- single active day counts as the whole month without usage
        coalesce(days_since_last_usage,
            case when coalesce(active_days, 0) = 0 then date_diff('day', month, last_day(month)) + 1 end)
            as days_without_usage,
        is_suspended,
        days_suspended,
        coalesce(arpu, 0) as bill,
        arpu_avg_3m,
        voice_trend,
        data_trend
    from features
),

flagged as (
    select
        *,
        coalesce(days_without_usage >= $no_usage_days, false) as no_usage,
        $include_suspended and is_suspended as suspended,
        -- strictly below (100 − x)% of the average: a bill exactly at the limit is not a drop
        coalesce(arpu_avg_3m > 0 and bill * 100 < arpu_avg_3m * (100 - $bill_drop_pct), false) as bill_drop,
        coalesce(round(voice_trend * 100, 6) < 100 - $usage_drop_pct, false)
            and coalesce(round(data_trend * 100, 6) < 100 - $usage_drop_pct, false) as usage_drop
    from signals
),

-- the signals are decided on the month's features alone; only the members that show one meet the base (a join of
-- some thirty thousand rows instead of the whole base)
members as (
    select flagged.*, base.base_date
    from flagged
    inner join dw.snapshot_base as base
        on base.subscriber_id = flagged.subscriber_id
    where flagged.no_usage or flagged.suspended or flagged.bill_drop or flagged.usage_drop
),

final as (
    select
        subscriber_id,
        city_code,
        value_tier,
        least(1.0, 0.4 * no_usage::int + 0.3 * suspended::int + 0.2 * bill_drop::int + 0.1 * usage_drop::int + 0.1)
            as score,
        format('snapshot-base member since {}: ', strftime(base_date, '%Y-%m-%d')) || concat_ws('; ',
            case when no_usage then format('no usage for {} days', days_without_usage) end,
            case when suspended then format('suspended for {} days', coalesce(days_suspended, 0)) end,
            case when bill_drop then format('bill 3-month average {:.2f} → this month {:.2f}, −{:.0f}%',
                arpu_avg_3m, bill::double, 100 - 100 * bill::double / arpu_avg_3m) end,
            case when usage_drop then format('voice {:.0f}% and data {:.0f}% of the 3-month average',
                100 * voice_trend, 100 * data_trend) end
        ) as evidence,
        json_object(
            'base_date', base_date, 'days_without_usage', days_without_usage, 'suspended', suspended,
            'days_suspended', days_suspended, 'bill', bill, 'bill_avg_3m', arpu_avg_3m,
            'voice_trend', round(voice_trend, 4), 'data_trend', round(data_trend, 4)
        )::varchar as evidence_json
    from members
)

select * from final
