-- grain: one row per custom reminder rule (scenario 16, operational data), oldest first.
select rule_id as RuleId, name as Name, description as Description, definition_json as DefinitionJson,
       priority as Priority, action as Action, owner as Owner, scope_all as ScopeAll,
       scope_cities as ScopeCities, created_at as CreatedAt, updated_at as UpdatedAt, enabled as Enabled
from det.custom_rule
order by rule_id
