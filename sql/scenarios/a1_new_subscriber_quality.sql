-- grain: one row per subscriber activated in the $cohort_months months up to the end of the period whose start
-- is poor: churned already, suspended, owing money, or active on at most $max_active_days days this period.
with

params as (
    select
        cast($period as date) as period,
        cast(last_day(cast($period as date)) as date) as period_end
),

-- the activation date is in the monthly fact, not in the feature mart
activations as (
    select subscriber_id, activation_date
    from dw.fct_subscriber_month
    where month = cast($period as date)
        and activation_date > cast(last_day(cast($period as date)) as date) - to_months(cast($cohort_months as integer))
),

features as (
    select features.subscriber_id, features.city_code, features.value_tier, features.status,
        features.is_suspended, features.amount_owed, coalesce(features.active_days, 0) as active_days,
        activations.activation_date
    from mart.mart_subscriber_features as features
    inner join activations
        on activations.subscriber_id = features.subscriber_id
    where features.month = cast($period as date)
),

cohort as (
    select features.*, date_diff('month', features.activation_date, params.period_end) as months_since_activation
    from features
    cross join params
    where features.activation_date > params.period_end - to_months(cast($cohort_months as integer))
        and features.activation_date <= params.period_end
),

flagged as (
    select
        *,
        status = 'churned' as churned_early,
        status <> 'churned' and is_suspended as suspended,
        amount_owed > 0 as in_arrears,
        status <> 'churned' and active_days <= $max_active_days as low_usage
    from cohort
),

final as (
    select
        subscriber_id,
        city_code,
        value_tier,
        greatest(churned_early::int * 1.0, suspended::int * 0.8, in_arrears::int * 0.6, low_usage::int * 0.5) as score,
        format('activated {} ({} month(s) ago): ', strftime(activation_date, '%Y-%m-%d'), months_since_activation)
        || concat_ws('; ',
            case when churned_early then 'churned already' end,
            case when suspended then 'suspended' end,
            case when in_arrears then format('owes {:.2f}', amount_owed::double) end,
            case when low_usage then format('{} active day(s) this month', active_days) end) as evidence,
        json_object('activation_date', activation_date, 'churned', churned_early, 'suspended', suspended,
            'amount_owed', amount_owed, 'active_days', active_days)::varchar as evidence_json
    from flagged
    where churned_early or suspended or in_arrears or low_usage
)

select * from final
