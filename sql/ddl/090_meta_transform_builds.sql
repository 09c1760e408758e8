-- the incremental build's memory: what each transform was built from (fingerprints), the load the last build saw,
-- and per build which models were refreshed, how and why (docs/warehouse.md, "refresh")
create sequence if not exists meta.build_id_seq start 1;

-- one row per transform model: its sql and the checksums of its content after the last build that refreshed it
create table if not exists meta.transform_state (
    model          varchar not null,           -- schema.table, e.g. dw.fct_subscriber_month
    file_name      varchar not null,
    sql_hash       varchar not null,           -- sha256 of the transform file: a changed file rebuilds the model in full
    content_hash   varchar,                    -- full models: row count, row checksum and one checksum per column (json)
    build_id       bigint not null,
    built_at       timestamp not null
);

-- one row per extract contract: a changed contract rebuilds every model that reads its staging table in full
create table if not exists meta.contract_state (
    extract        varchar not null,
    contract_hash  varchar not null,
    build_id       bigint not null
);

-- one row per build: the loads it took in (load ids after from_load_id up to to_load_id) and how it went
create table if not exists meta.build (
    build_id       bigint not null,
    kind           varchar not null,           -- incremental | full | from
    from_month     date,                       -- ra rebuild --from
    from_load_id   bigint not null,
    to_load_id     bigint not null,
    started_at     timestamp not null,
    finished_at    timestamp not null,
    models_refreshed integer not null,
    models_unchanged integer not null,
    duration_ms    bigint not null
);

-- one row per model a build refreshed: full or incremental, the scope and the reason
create table if not exists meta.build_model (
    build_id       bigint not null,
    model          varchar not null,
    file_name      varchar not null,
    mode           varchar not null,           -- full | incremental
    reason         varchar not null,           -- first_build | sql_changed | contract_changed | rebuild | input | escalated
    cause          varchar,                    -- the input (stg.payment, dw.fct_subscriber_month) or contract behind it
    scope_kind     varchar,                    -- months | dates | keys | all
    scope_count    bigint,                     -- how many months, dates or keys were refreshed
    scope_detail   varchar,                    -- the first few months or dates
    rows_deleted   bigint,
    rows_inserted  bigint,
    duration_ms    bigint not null
);
