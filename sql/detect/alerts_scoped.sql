-- grain: one row per alert of one scenario and period within the caller's region scope, most urgent first.
select
    scenario_id as ScenarioId,
    period as Period,
    subscriber_id as SubscriberId,
    city_code as CityCode,
    value_tier as ValueTier,
    score as Score,
    evidence as Evidence,
    evidence_json as EvidenceJson,
    params_hash as ParamsHash,
    run_id as RunId
from det.alert
where scenario_id = $scenario_id
    and period = cast($period as date)
    and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
order by score desc, subscriber_id
limit $limit
