-- grain: one row per subscriber whose binding agreements (the one that binds longest decides, as in
-- dw.fct_subscriber_month) all end within $days_ahead days after the end of the period; a renewed agreement
-- that already covers the time after the end keeps the subscriber out.
with

params as (
    select cast($period as date) as period, cast(last_day(cast($period as date)) as date) as period_end
),

-- one pass over the agreements: the longest binding one at the end of the period, and the latest end of any
-- agreement (a renewal or a new handset deal ending later keeps the customer)
ends as (
    select
        agreements.subscriber_id,
        max(agreements.end_date) as last_end_date,
        max(agreements.end_date) filter (where binds) as end_date,
        arg_max(agreements.agreement_id, agreements.end_date) filter (where binds) as agreement_id,
        arg_max(agreements.policy_name, agreements.end_date) filter (where binds) as policy_name,
        arg_max(agreements.policy_type, agreements.end_date) filter (where binds) as policy_type,
        arg_max(agreements.monthly_commitment, agreements.end_date) filter (where binds) as monthly_commitment
    from (
        select
            *,
            start_date <= cast(last_day(cast($period as date)) as date)
                and end_date >= cast(last_day(cast($period as date)) as date)
                and list_contains(string_split($policy_types, ','), policy_type) as binds
        from dw.fct_agreement
        where status is distinct from 'cancelled'
    ) as agreements
    group by agreements.subscriber_id
),

longest as (
    select *
    from ends
    where end_date is not null
        and last_end_date = end_date
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
