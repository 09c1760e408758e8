-- the scenario detectors' own tables: runs, tuned parameters with their history, and the analysts' custom rules.
-- det.scenario and det.alert (005) are shared; these are written only by the scenario services.
-- no primary keys (see 005): the services keep one current value per scenario and parameter, one rule per id.

create sequence if not exists det.scenario_run_id_seq start 1;

-- grain: one row per detector run of one scenario for one period (a failed run too, with its message)
create table if not exists det.scenario_run (
    run_id          bigint not null,
    scenario_id     varchar not null,
    period          date not null,
    params_json     varchar not null,   -- the effective parameters, by name
    params_hash     varchar not null,
    alerts          bigint not null,
    duration_ms     bigint not null,
    status          varchar not null,   -- succeeded | failed
    message         varchar,
    started_at      timestamp not null,
    trigger_kind    varchar not null    -- pipeline | cli | portal | test
);

-- grain: one row per scenario and parameter an administrator changed: the value in force (defaults live in the yaml)
create table if not exists det.scenario_parameter (
    scenario_id     varchar not null,
    name            varchar not null,
    value           varchar not null,   -- invariant text: 40, 12.5, true, high,mid
    changed_by      varchar not null,
    changed_at      timestamp not null
);

-- grain: one row per change of a parameter: who changed what from what to what, and when
create table if not exists det.scenario_parameter_history (
    scenario_id     varchar not null,
    name            varchar not null,
    old_value       varchar not null,
    new_value       varchar not null,
    changed_by      varchar not null,
    changed_at      timestamp not null
);

create sequence if not exists det.custom_rule_id_seq start 1;

-- grain: one row per custom reminder rule (scenario 16); the scenario id is custom_<rule_id>
create table if not exists det.custom_rule (
    rule_id         bigint not null,
    name            varchar not null,
    description     varchar,
    definition_json varchar not null,   -- the condition tree over mart.mart_subscriber_features (docs/scenarios.md)
    priority        integer not null,
    action          varchar not null,   -- call | sms | both | report
    owner           varchar not null,
    scope_all       boolean not null,   -- the owner's region scope when the rule was saved: a rule never flags
    scope_cities    varchar,            -- subscribers outside it (comma-separated city codes)
    created_at      timestamp not null,
    updated_at      timestamp not null,
    enabled         boolean not null
);
