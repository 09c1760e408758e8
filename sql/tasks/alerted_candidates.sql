-- grain: one row per subscriber alerted in the period by any of the campaign's scenarios. a subscriber alerted by
-- several of them is one candidate: its risk combines the alert scores as independent signals (1 - prod(1 - score)),
-- so two medium alerts outrank one.
with

alerts as (
    select * from det.alert
    where period = $period
        and list_contains(string_split($scenario_ids, ','), scenario_id)
),

scenarios as (
    select * from det.scenario
),

final as (
    select
        alerts.subscriber_id,
        arg_max(alerts.city_code, alerts.score) as city_code,
        arg_max(alerts.value_tier, alerts.score) as value_tier,
        1 - exp(sum(ln(greatest(1 - alerts.score, 1e-9)))) as risk_score,
        string_agg(alerts.scenario_id, ',' order by scenarios.priority, alerts.scenario_id) as scenario_ids
    from alerts
    inner join scenarios
        on scenarios.scenario_id = alerts.scenario_id
    group by alerts.subscriber_id
)

select * from final
