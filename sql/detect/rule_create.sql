-- grain: one new custom rule, its id drawn from the rule sequence of the operational data; returns the id.
insert into det.custom_rule (rule_id, name, description, definition_json, priority, action, owner, scope_all,
    scope_cities, created_at, updated_at, enabled)
values (nextval('det.custom_rule_id_seq'), $name, $description, $canonical, $priority, $action, $owner,
    $scopeAll, $scopeCities, now(), now(), true)
returning rule_id
