-- grain: one custom rule written again under its id after rule_delete.sql in the same transaction (no keys on updated
-- tables in duckdb, see sql/ddl/005): owner, scope and creation time are the ones it had.
insert into det.custom_rule (rule_id, name, description, definition_json, priority, action, owner,
    scope_all, scope_cities, created_at, updated_at, enabled)
values ($ruleId, $name, $description, $canonical, $priority, $action, $owner, $scopeAll, $scopeCities,
    $createdAt, now(), $enabled)
