-- data-quality results per load and per check, in the spirit of dbt tests
create table if not exists meta.dq_result (
    checked_at    timestamp not null,
    load_id       bigint,                       -- null for checks that are not about one file (freshness)
    extract       varchar not null,
    check_name    varchar not null,             -- unique | not_null | relationships | accepted_values | row_count_anomaly | freshness
    column_name   varchar,
    status        varchar not null,             -- pass | warn | fail
    failing_rows  bigint not null default 0,
    detail        varchar
);
