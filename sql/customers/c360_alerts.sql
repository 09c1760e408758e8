-- grain: one row per alert of the subscriber in the three newest alert periods, latest period first, then by
-- scenario priority and score. an alert is open when it belongs to the newest period the detectors produced:
-- the next run replaces the picture. evidence_json: the evidence's figures by name, to word it in the reader's language.
with

periods as (
    select max(period) as newest_period from det.alert
),

alerts as (
    select *
    from det.alert
    where subscriber_id = $subscriber_id
        and period >= (select cast(newest_period - interval 2 month as date) from periods)
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
        alerts.period = (select newest_period from periods) as IsOpen,
        alerts.evidence_json as EvidenceJson
    from alerts
    left join det.scenario as scenario
        on scenario.scenario_id = alerts.scenario_id
    order by alerts.period desc, scenario.priority nulls last, alerts.score desc, alerts.scenario_id
)

select * from final
