-- grain: one row per change of a parameter of the scenario, or of its switch (name scenario.enabled), oldest first.
select scenario_id as ScenarioId, name as Name, old_value as OldValue, new_value as NewValue,
       changed_by as ChangedBy, changed_at as ChangedAt
from det.scenario_parameter_history
where scenario_id = $scenarioId
order by changed_at, name
