-- grain: one row per subscriber of the chosen value tiers with a call forwarding to another network in force at
-- the end of the period for at least $min_days_in_force days: a strong sign of a second sim with a competitor.
with

params as (
    select
        cast($period as date) as period,
        cast(last_day(cast($period as date)) as date) as period_end
),

-- the same in-force rule as dw.call_forwarding_state, at the period's month end instead of the as-of date; the cutoff
-- is written as a constant (not read from params), so the scan filters before the aggregate without a join
in_force as (
    select
        forwards.subscriber_id,
        arg_max(forwards.target_network, forwards.action_time) as target_network,
        arg_max(forwards.forward_type, forwards.action_time) as forward_type,
        min(forwards.action_time) as offnet_since
    from dw.fct_call_forwarding as forwards
    where forwards.action = 'set'
        and forwards.is_offnet
        and forwards.action_time < cast(last_day(cast($period as date)) + interval 1 day as timestamp)
        and (forwards.active_until is null
            or forwards.active_until >= cast(last_day(cast($period as date)) + interval 1 day as timestamp))
    group by forwards.subscriber_id
),

features as (
    select subscriber_id, city_code, value_tier
    from mart.mart_subscriber_features
    where month = cast($period as date)
        and status <> 'churned'
        and list_contains(string_split($value_tiers, ','), value_tier)
),

joined as (
    select
        features.*,
        in_force.target_network,
        in_force.forward_type,
        cast(in_force.offnet_since as date) as offnet_since,
        date_diff('day', cast(in_force.offnet_since as date), params.period_end) as days_in_force
    from features
    inner join in_force
        on in_force.subscriber_id = features.subscriber_id
    cross join params
),

final as (
    select
        subscriber_id,
        city_code,
        value_tier,
        least(1.0, case value_tier when 'high' then 0.85 when 'mid' then 0.7 else 0.5 end + least(0.15, days_in_force / 600.0))
            as score,
        format('forwards calls ({}) to another network ({}) since {}, {} days',
            coalesce(forward_type, 'unconditional'), coalesce(target_network, 'unknown'),
            strftime(offnet_since, '%Y-%m-%d'), days_in_force) as evidence,
        json_object('target_network', target_network, 'forward_type', forward_type, 'since', offnet_since,
            'days_in_force', days_in_force)::varchar as evidence_json
    from joined
    where days_in_force >= $min_days_in_force
)

select * from final
