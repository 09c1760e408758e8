-- scheduled delivery of reports: subscriptions, their runs, and the delivered files in each user's portal inbox.
-- no primary keys (updated tables, see 005): ids come from sequences, the delivery service keeps them unique.
create sequence if not exists ops.delivery_subscription_id_seq start 1;
create sequence if not exists ops.delivery_run_id_seq start 1;
create sequence if not exists ops.inbox_item_id_seq start 1;

-- grain: one row per subscription of a user to a report with parameters and a schedule
create table if not exists ops.delivery_subscription (
    subscription_id bigint not null,
    username        varchar not null,   -- the subscriber: the report is rendered with this account's roles and scope
    report_id       varchar not null,   -- a fixed report id or view:<id>
    parameters_json varchar not null,   -- {"name": "value"} as the renderer takes them
    schedule_kind   varchar not null,   -- daily | weekly | monthly
    schedule_time   varchar not null,   -- HH:mm
    schedule_day    integer,            -- weekly: 1 (Monday) .. 7 (Sunday); monthly: 1 .. 28
    cron            varchar not null,   -- the same schedule as a Quartz cron expression
    file_type       varchar not null,   -- xlsx | csv
    skip_if_empty   boolean not null default false,
    paused          boolean not null default false,
    deleted         boolean not null default false,
    next_due_at     timestamp not null,
    created_at      timestamp not null,
    updated_at      timestamp not null
);

-- grain: one row per subscription and due time; retried with backoff until delivered, skipped or failed
create table if not exists ops.delivery_run (
    run_id          bigint not null,
    subscription_id bigint not null,
    username        varchar not null,
    report_id       varchar not null,
    due_at          timestamp not null,
    status          varchar not null,   -- pending | retrying | delivered | skipped | failed
    attempts        integer not null default 0,
    next_attempt_at timestamp,
    error           varchar,            -- the last failure: exception type and message, identifiers only
    rows_delivered  bigint,
    mailed          boolean not null default false,
    created_at      timestamp not null,
    finished_at     timestamp
);

-- grain: one delivered file; only its owner downloads it
create table if not exists ops.inbox_item (
    item_id         bigint not null,
    run_id          bigint not null,
    subscription_id bigint not null,
    username        varchar not null,
    report_id       varchar not null,
    file_name       varchar not null,
    file_type       varchar not null,
    content         blob not null,
    rows_delivered  bigint not null,
    created_at      timestamp not null
);

-- where a delivered file is mailed to when SMTP is configured; null: inbox only
alter table ops.app_user add column if not exists email varchar;
