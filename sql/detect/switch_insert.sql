-- grain: the switch in force of one scenario, after switch_delete.sql.
insert into det.scenario_switch (scenario_id, enabled, changed_by, changed_at)
values ($scenarioId, $enabled, $username, now())
