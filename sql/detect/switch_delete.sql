-- grain: the stored switch of one scenario, replaced by switch_insert.sql in the same transaction (one current row per
-- scenario, no keys on updated tables in duckdb, see sql/ddl/005); returns the switch it replaced, if there was one.
delete from det.scenario_switch where scenario_id = $scenarioId
returning enabled
