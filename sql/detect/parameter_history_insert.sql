-- grain: one change of a parameter: who changed it from what to what, and when.
insert into det.scenario_parameter_history (scenario_id, name, old_value, new_value, changed_by, changed_at)
values ($scenarioId, $name, $oldValue, $newValue, $username, now())
