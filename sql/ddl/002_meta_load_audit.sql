-- one row per file the loader saw: what came in, what was loaded, what was rejected, and why the file ended as it did
create sequence if not exists meta.load_id_seq start 1;

create table if not exists meta.load_audit (
    load_id          bigint not null,  -- no index: DuckDB updates of indexed rows conflict within one transaction
    extract          varchar not null,
    file_name        varchar not null,
    file_path        varchar not null,
    business_date    date,
    delivery_seq     integer not null default 0,
    checksum         varchar not null,          -- sha256 of the delivered bytes
    file_bytes       bigint not null,
    encoding         varchar,
    status           varchar not null,          -- loaded | rejected | duplicate | conflict | superseded | failed
    rows_read        bigint not null default 0,
    rows_loaded      bigint not null default 0,
    rows_rejected    bigint not null default 0,
    replaced_rows    bigint not null default 0, -- rows of an earlier delivery of the same business date replaced by this one
    message          varchar,
    started_at       timestamp not null,
    finished_at      timestamp,
    duration_ms      bigint
);

-- rejected rows are kept here, never in a log: file, line, reason and the raw line as delivered
create table if not exists meta.rejected_row (
    load_id      bigint not null,
    extract      varchar not null,
    file_name    varchar not null,
    line_number  bigint,
    reason       varchar not null,
    raw_line     varchar
);
