-- one row per run of a scheduled or manual job, with its progress while it runs
create sequence if not exists meta.job_run_id_seq start 1;

create table if not exists meta.job_run (
    run_id        bigint not null,  -- no index: DuckDB updates of indexed rows conflict within one transaction
    job_name      varchar not null,
    trigger_kind  varchar not null,             -- schedule | manual | startup | catch_up | cli
    status        varchar not null,             -- running | succeeded | failed | cancelled | interrupted
    started_at    timestamp not null,
    finished_at   timestamp,
    progress_pct  double not null default 0,
    stage         varchar,
    message       varchar,
    host          varchar
);
