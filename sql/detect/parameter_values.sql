-- grain: one row per parameter of the scenario an administrator changed: the value in force.
select name, value from det.scenario_parameter where scenario_id = $scenarioId
