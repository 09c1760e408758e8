-- grain: one row per scenario with alerts in the period whose action asks for a call (call or both)
with

alerts as (
    select distinct scenario_id from det.alert where period = $period
),

scenarios as (
    select * from det.scenario where enabled and action in ('call', 'both')
),

final as (
    select scenarios.scenario_id as ScenarioId, scenarios.name_en as Name, scenarios.priority as Priority
    from scenarios
    inner join alerts
        on alerts.scenario_id = scenarios.scenario_id
)

select * from final
order by Priority, ScenarioId
