-- grain: the value in force of one parameter, after parameter_delete.sql.
insert into det.scenario_parameter (scenario_id, name, value, changed_by, changed_at)
values ($scenarioId, $name, $newValue, $username, now())
