-- grain: schema only. the scenario settings administrators and analysts change in the portal, shared by every portal
-- node: tuned parameters with their history and the custom reminder rules with their id sequence, as in
-- sql/ddl/010_det_scenarios.sql of the duckdb warehouse. the detectors, alerts and runs stay in the warehouse file;
-- what joins these rows with warehouse tables reads them into a temp table of its warehouse connection first.
create schema if not exists det;

-- grain: one row per scenario and parameter an administrator changed: the value in force (defaults live in the yaml)
create table if not exists det.scenario_parameter (
    scenario_id     varchar not null,
    name            varchar not null,
    value           varchar not null,
    changed_by      varchar not null,
    changed_at      timestamp not null,
    primary key (scenario_id, name)
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
create index if not exists scenario_parameter_history_scenario on det.scenario_parameter_history (scenario_id);

create sequence if not exists det.custom_rule_id_seq start 1;

-- grain: one row per custom reminder rule (scenario 16); the scenario id is custom_<rule_id>
create table if not exists det.custom_rule (
    rule_id         bigint primary key,
    name            varchar not null,
    description     varchar,
    definition_json varchar not null,
    priority        integer not null,
    action          varchar not null,
    owner           varchar not null,
    scope_all       boolean not null,
    scope_cities    varchar,
    created_at      timestamp not null,
    updated_at      timestamp not null,
    enabled         boolean not null
);
