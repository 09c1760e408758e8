-- grain: one row per alert of the subscriber (every period), with the scenario's name in $lang, the detector's evidence
-- and its figures by name: the reasons behind a task are those whose scenario and period the task names.
select
    alert.scenario_id as ScenarioId,
    alert.period as Period,
    coalesce(case $lang when 'de' then scenario.name_de when 'zh' then scenario.name_zh else scenario.name_en end,
        alert.scenario_id) as ScenarioName,
    alert.evidence as Evidence,
    alert.score as Score,
    alert.evidence_json as EvidenceJson
from det.alert as alert
left join det.scenario as scenario
    on scenario.scenario_id = alert.scenario_id
where alert.subscriber_id = $subscriber_id
