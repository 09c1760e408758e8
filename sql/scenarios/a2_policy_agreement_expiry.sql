-- grain: one row per subscriber whose last agreement ended in the $lookback_days days up to the end of the period
-- without anything binding them since: free to leave, and the bill is compared with the months before.
with

params as (
    select cast($period as date) as period, cast(last_day(cast($period as date)) as date) as period_end
),

agreements as (
    select *
    from dw.fct_agreement
    where status is distinct from 'cancelled'
),

-- the period's end written as a constant (not read from params): the filter and the having need no join
ended as (
    select
        agreements.subscriber_id,
        arg_max(agreements.agreement_id, agreements.end_date) as agreement_id,
        arg_max(agreements.policy_type, agreements.end_date) as policy_type,
        max(agreements.end_date) as end_date
    from agreements
    where agreements.start_date <= cast(last_day(cast($period as date)) as date)
    group by agreements.subscriber_id
    -- the newest agreement that started by the end of the period ended before it: nothing binds now
    having max(agreements.end_date) < cast(last_day(cast($period as date)) as date)
        and max(agreements.end_date) >= cast(last_day(cast($period as date)) as date) - cast($lookback_days as integer)
),

features as (
    select subscriber_id, city_code, value_tier, coalesce(arpu, 0) as bill, arpu_avg_3m
    from mart.mart_subscriber_features
    where month = cast($period as date)
        and status <> 'churned'
),

final as (
    select
        features.subscriber_id,
        features.city_code,
        features.value_tier,
        greatest(0.2, 1 - (params.period_end - ended.end_date) / ($lookback_days + 1.0)) as score,
        format('agreement {} ({}) ended {}, {} days ago, not renewed; bill 3-month average {:.2f} → this month {:.2f}',
            ended.agreement_id, ended.policy_type, strftime(ended.end_date, '%Y-%m-%d'),
            params.period_end - ended.end_date, coalesce(features.arpu_avg_3m, 0), features.bill::double) as evidence,
        json_object('agreement_id', ended.agreement_id, 'policy_type', ended.policy_type, 'end_date', ended.end_date,
            'days_since_end', params.period_end - ended.end_date, 'bill_avg_3m', features.arpu_avg_3m,
            'bill', features.bill)::varchar as evidence_json
    from features
    inner join ended
        on ended.subscriber_id = features.subscriber_id
    cross join params
)

select * from final
