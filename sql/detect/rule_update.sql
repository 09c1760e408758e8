-- grain: one custom rule's definition, header and state, changed in place; owner, scope and creation stay as they were.
update det.custom_rule
set name = $name, description = $description, definition_json = $canonical, priority = $priority, action = $action,
    enabled = $enabled, updated_at = now()
where rule_id = $ruleId
