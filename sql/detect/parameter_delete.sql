-- grain: the stored value of one parameter, replaced by parameter_insert.sql in the same transaction (one current
-- row per scenario and parameter, no keys on updated tables in duckdb, see sql/ddl/005).
delete from det.scenario_parameter where scenario_id = $scenarioId and name = $name
