-- work orders an agent dispatches from a task to another department (billing correction, network fault, goodwill
-- credit), and every status change they go through. updated rows carry no primary key (see 005): the work-order
-- service keeps ids unique (sequence) and makes every status change conditional on the version.
create sequence if not exists ops.work_order_id_seq start 1;

-- grain: one row per work order, holding its latest state
create table if not exists ops.work_order (
    work_order_id   bigint not null,
    task_id         bigint not null,
    subscriber_id   varchar not null,
    city_code       varchar not null,
    department      varchar not null,   -- billing_correction | network_fault | goodwill_credit
    description     varchar not null,   -- the agent's text: never logged
    amount          decimal(12,2),      -- goodwill credits: the amount asked for
    status          varchar not null,   -- pending_approval | approved | open | in_progress | resolved | rejected
    created_by      varchar not null,
    created_at      timestamp not null,
    approved_by     varchar,
    updated_by      varchar not null,
    updated_at      timestamp not null,
    version         integer not null default 0
);

-- grain: one row per status a work order entered (its creation included)
create table if not exists ops.work_order_history (
    work_order_id   bigint not null,
    status          varchar not null,
    changed_by      varchar not null,
    changed_at      timestamp not null,
    note            varchar
);
