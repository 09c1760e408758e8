-- grain: schema only. the enabled custom rules (saved filters) beside the warehouse for the audience choices
-- (sms/audience_choices.sql), filled by the caller from the rules in the operational data
drop table if exists saved_filter;
create temp table saved_filter (
    rule_id     bigint,
    name        varchar
)
