-- grain: one row per subscriber with a roaming session of the chosen types open at the end of the period and
-- running for at least $min_days_roaming days: a care sms while abroad or away.
with

params as (
    select
        cast($period as date) as period,
        cast(last_day(cast($period as date)) as date) as period_end
),

-- the cutoff written as a constant (not read from params): the scan filters before the aggregate without a join
open_sessions as (
    select
        sessions.subscriber_id,
        arg_max(sessions.roaming_type, sessions.start_time) as roaming_type,
        arg_max(sessions.country_code, sessions.start_time) as country_code,
        max(sessions.start_time) as roaming_since
    from dw.fct_roaming as sessions
    where sessions.start_time < cast(last_day(cast($period as date)) + interval 1 day as timestamp)
        and (sessions.end_time is null
            or sessions.end_time >= cast(last_day(cast($period as date)) + interval 1 day as timestamp))
        and list_contains(string_split($roaming_types, ','), sessions.roaming_type)
    group by sessions.subscriber_id
),

features as (
    select subscriber_id, city_code, value_tier
    from mart.mart_subscriber_features
    where month = cast($period as date)
        and status <> 'churned'
),

joined as (
    select
        features.*,
        open_sessions.roaming_type,
        open_sessions.country_code,
        cast(open_sessions.roaming_since as date) as roaming_since,
        date_diff('day', cast(open_sessions.roaming_since as date), params.period_end) + 1 as days_roaming
    from features
    inner join open_sessions
        on open_sessions.subscriber_id = features.subscriber_id
    cross join params
),

final as (
    select
        subscriber_id,
        city_code,
        value_tier,
        case roaming_type when 'international' then 0.8 else 0.4 end
            + case value_tier when 'high' then 0.2 when 'mid' then 0.1 else 0 end as score,
        format('roaming ({}, {}) since {}, day {}', roaming_type, coalesce(country_code, '?'),
            strftime(roaming_since, '%Y-%m-%d'), days_roaming) as evidence,
        json_object('roaming_type', roaming_type, 'country_code', country_code, 'since', roaming_since,
            'days_roaming', days_roaming)::varchar as evidence_json
    from joined
    where days_roaming >= $min_days_roaming
)

select * from final
