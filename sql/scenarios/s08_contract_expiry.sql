-- grain: one row per subscriber whose binding agreements (the one that binds longest decides, as in
-- dw.fct_subscriber_month) all end within $days_ahead days after the end of the period; a renewed agreement
-- that already covers the time after the end keeps the subscriber out.
with

params as (
    select cast($period as date) as period, cast(last_day(cast($period as date)) as date) as period_end
),

binding as (
    select agreements.*
    from dw.fct_agreement as agreements
    cross join params
    where agreements.status is distinct from 'cancelled'
        and agreements.start_date <= params.period_end
        and agreements.end_date >= params.period_end
        and list_contains(string_split($policy_types, ','), agreements.policy_type)
),

longest as (
    select
        subscriber_id,
        arg_max(agreement_id, end_date) as agreement_id,
        arg_max(policy_name, end_date) as policy_name,
        arg_max(policy_type, end_date) as policy_type,
        arg_max(monthly_commitment, end_date) as monthly_commitment,
        max(end_date) as end_date
    from binding
    group by subscriber_id
),

-- any other agreement of any type binding after the end (a renewal, a new handset deal) keeps the customer
later as (
    select distinct agreements.subscriber_id
    from dw.fct_agreement as agreements
    inner join longest
        on longest.subscriber_id = agreements.subscriber_id
    where agreements.status is distinct from 'cancelled'
        and agreements.end_date > longest.end_date
),

features as (
    select subscriber_id, city_code, value_tier
    from mart.mart_subscriber_features
    where month = cast($period as date)
        and status <> 'churned'
),

expiring as (
    select
        features.*,
        longest.agreement_id,
        longest.policy_name,
        longest.policy_type,
        longest.monthly_commitment,
        longest.end_date,
        longest.end_date - params.period_end as days_to_end
    from features
    inner join longest
        on longest.subscriber_id = features.subscriber_id
    cross join params
    where longest.end_date - params.period_end <= $days_ahead
        and features.subscriber_id not in (select subscriber_id from later)
),

final as (
    select
        subscriber_id,
        city_code,
        value_tier,
        greatest(0.2, 1 - days_to_end / ($days_ahead + 1.0)) as score,
        format('agreement {} ({}) ends {}, in {} days; monthly commitment {:.2f}',
            agreement_id, policy_type, strftime(end_date, '%Y-%m-%d'), days_to_end,
            coalesce(monthly_commitment, 0)::double) as evidence,
        json_object('agreement_id', agreement_id, 'policy_name', policy_name, 'policy_type', policy_type,
            'end_date', end_date, 'days_to_end', days_to_end, 'monthly_commitment', monthly_commitment)::varchar
            as evidence_json
    from expiring
)

select * from final
