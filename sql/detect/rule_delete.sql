-- grain: the custom rule with the id, if any.
delete from det.custom_rule where rule_id = $ruleId
