-- grain: one row per scenario an administrator switched on or off in the portal: the switch in force, shared by every
-- portal node (sql/ddl/099_det_scenario_switch.sql of the duckdb warehouse). Each node's catalogue (det.scenario in
-- its warehouse file) takes its enabled flag from here at each sync, so a switch survives a fail-over.
create table if not exists det.scenario_switch (
    scenario_id     varchar primary key,
    enabled         boolean not null,
    changed_by      varchar not null,
    changed_at      timestamp not null
);
