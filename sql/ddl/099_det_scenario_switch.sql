-- grain: one row per scenario an administrator switched on or off in the portal: the switch in force (operational data,
-- as the tuned parameters in 010; no key on an updated table, see 005). det.scenario, the catalogue each sync rewrites,
-- takes its enabled flag from here, so a switch outlives the catalogue's rebuild and, on several nodes, a fail-over.
create table if not exists det.scenario_switch (
    scenario_id     varchar not null,
    enabled         boolean not null,
    changed_by      varchar not null,
    changed_at      timestamp not null
);
