-- grain: one row per alert of the subscriber (every period), with the scenario's name in $lang, its priority and
-- action, the detector's evidence and its figures by name (evidence_json, to word it in the reader's language), and
-- the newest period the detectors produced (an alert of that period is open: the next run replaces the picture). the
-- 360 shows the three newest periods; the reasons behind a task are those whose scenario and period the task names.
with

alerts as (
    select *
    from det.alert
    where subscriber_id = $subscriber_id
),

final as (
    select
        alerts.scenario_id as ScenarioId,
        coalesce(case $lang when 'de' then scenario.name_de when 'zh' then scenario.name_zh else scenario.name_en end,
            alerts.scenario_id) as ScenarioName,
        scenario.priority as Priority,
        scenario.action as Action,
        alerts.period as Period,
        alerts.score as Score,
        alerts.evidence as Evidence,
        alerts.detected_at as DetectedAt,
        alerts.evidence_json as EvidenceJson,
        (select max(period) from det.alert) as NewestPeriod
    from alerts
    left join det.scenario as scenario
        on scenario.scenario_id = alerts.scenario_id
)

select * from final
