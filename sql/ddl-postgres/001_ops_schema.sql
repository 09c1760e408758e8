-- grain: schema only. the operational data on postgresql (Ops:Provider=postgres): the same tables, columns and
-- sequences as the ops schema of the duckdb warehouse after sql/ddl/075, plus meta.job_run. unlike duckdb, postgresql
-- updates indexed rows without conflicts, so the keys the services keep are declared here as well.
-- a change to an ops table is a new numbered file in sql/ddl (duckdb) and one here (postgresql).
create schema if not exists ops;
create schema if not exists meta;

-- the few duckdb functions the shared ops sql uses, so that the same files run on both
create or replace function public.string_split(value text, separator text) returns text[]
    language sql immutable parallel safe as $$ select string_to_array(value, separator) $$;
create or replace function public.list_contains(list anyarray, element anyelement) returns boolean
    language sql immutable parallel safe as $$ select element = any(list) $$;
create or replace function public.to_days(days integer) returns interval
    language sql immutable parallel safe as $$ select make_interval(days => days) $$;
create or replace function public.to_minutes(minutes bigint) returns interval
    language sql immutable parallel safe as $$ select make_interval(mins => minutes::integer) $$;
-- any_value is built in from postgresql 16; debian 12 ships 15
do $$
begin
    if current_setting('server_version_num')::integer < 160000 then
        create or replace function public.any_value_step(kept anyelement, value anyelement) returns anyelement
            language sql immutable parallel safe as 'select coalesce(kept, value)';
        create or replace aggregate public.any_value(anyelement) (sfunc = public.any_value_step, stype = anyelement);
    end if;
end
$$;

-- job runs: one row per run of a scheduled or manual job, on whichever node ran it
create sequence if not exists meta.job_run_id_seq start 1;
create table if not exists meta.job_run (
    run_id        bigint primary key,
    job_name      varchar not null,
    trigger_kind  varchar not null,
    status        varchar not null,
    started_at    timestamp not null,
    finished_at   timestamp,
    progress_pct  double precision not null default 0,
    stage         varchar,
    message       varchar,
    host          varchar,
    pid           integer
);
create index if not exists job_run_job_status on meta.job_run (job_name, status);

create table if not exists ops.team (
    team_id         varchar primary key,
    name            varchar not null,
    kind            varchar not null,
    city_code       varchar,
    value_tiers     varchar,
    active          boolean not null default true,
    agent_capacity  integer
);

create table if not exists ops.agent (
    username            varchar primary key,
    display_name        varchar not null,
    team_id             varchar not null,
    capacity            integer not null,
    account_manager_id  varchar,
    active              boolean not null default true
);

create sequence if not exists ops.campaign_id_seq start 1;
create table if not exists ops.campaign (
    campaign_id     bigint primary key,
    campaign_key    varchar not null unique,
    name            varchar not null,
    kind            varchar not null,
    scenario_id     varchar,
    period          date not null,
    holdout_pct     double precision not null,
    seed            varchar not null,
    status          varchar not null,
    created_at      timestamp not null,
    created_by      varchar not null,
    questionnaire_id varchar
);

create table if not exists ops.campaign_member (
    campaign_id     bigint not null,
    subscriber_id   varchar not null,
    city_code       varchar not null,
    member_group    varchar not null,
    excluded_reason varchar,
    risk_score      double precision not null,
    added_at        timestamp not null,
    scenario_ids    varchar,
    value_tier      varchar,
    primary key (campaign_id, subscriber_id)
);

create sequence if not exists ops.task_id_seq start 1;
create table if not exists ops.task (
    task_id         bigint primary key,
    campaign_id     bigint not null,
    subscriber_id   varchar not null,
    city_code       varchar not null,
    value_tier      varchar,
    priority_score  double precision not null,
    scenario_ids    varchar not null,
    status          varchar not null,
    team_id         varchar,
    assigned_to     varchar,
    due_date        date,
    attempts        integer not null default 0,
    version         integer not null default 0,
    created_at      timestamp not null,
    updated_at      timestamp not null,
    result          varchar,
    callback_at     timestamp,
    last_attempt_at timestamp,
    closed_at       timestamp,
    priority        integer,
    merged_into     bigint
);
create index if not exists task_assigned on ops.task (assigned_to, status);
create index if not exists task_subscriber on ops.task (subscriber_id);
create index if not exists task_campaign on ops.task (campaign_id, status);

create sequence if not exists ops.contact_id_seq start 1;
create table if not exists ops.contact (
    contact_id      bigint primary key,
    subscriber_id   varchar not null,
    channel         varchar not null,
    contact_time    timestamp not null,
    task_id         bigint,
    username        varchar,
    outcome         varchar,
    result          varchar,
    churn_reason_id varchar,
    offer_id        varchar,
    notes           varchar,
    campaign_id     bigint
);
create index if not exists contact_subscriber on ops.contact (subscriber_id, contact_time);
create index if not exists contact_task on ops.contact (task_id);

create table if not exists ops.blacklist (
    subscriber_id   varchar not null,
    scope           varchar not null,
    reason          varchar not null,
    source          varchar not null,
    valid_until     date,
    created_at      timestamp not null,
    created_by      varchar not null
);
create index if not exists blacklist_subscriber on ops.blacklist (subscriber_id);

create sequence if not exists ops.audit_id_seq start 1;
create table if not exists ops.audit_log (
    audit_id    bigint primary key,
    occurred_at timestamp not null,
    username    varchar,
    action      varchar not null,
    target      varchar,
    outcome     varchar not null,
    detail      varchar,
    client_ip   varchar
);
create index if not exists audit_log_user_action on ops.audit_log (username, action);

create table if not exists ops.app_user (
    username                varchar primary key,
    display_name            varchar not null,
    password_hash           varchar,
    source                  varchar not null,
    roles                   varchar not null,
    scope_province          boolean not null default false,
    scope_cities            varchar,
    team_id                 varchar,
    preferred_language      varchar not null default 'en',
    disabled                boolean not null default false,
    must_change_password    boolean not null default false,
    demo_seed               boolean not null default false,
    failed_attempts         integer not null default 0,
    locked_until            timestamp,
    last_sign_in_at         timestamp,
    created_at              timestamp not null,
    updated_at              timestamp not null,
    email                   varchar
);

create table if not exists ops.app_session (
    session_id      varchar primary key,
    username        varchar not null,
    created_at      timestamp not null,
    last_seen_at    timestamp not null,
    expires_at      timestamp not null,
    revoked_at      timestamp,
    revoked_reason  varchar,
    client_ip       varchar
);
create index if not exists app_session_user on ops.app_session (username);

create table if not exists ops.churn_reason (
    reason_id   varchar primary key,
    name_en     varchar not null,
    name_de     varchar not null,
    name_zh     varchar not null,
    sort_order  integer not null,
    active      boolean not null default true
);
insert into ops.churn_reason
select * from (values
    ('price',        'Price too high',                'Preis zu hoch',                 '资费太高',       10, true),
    ('competitor',   'Better offer from a competitor', 'Besseres Angebot der Konkurrenz', '竞争对手优惠更好', 20, true),
    ('coverage',     'Network coverage or quality',   'Netzabdeckung oder -qualität',  '网络覆盖或质量',  30, true),
    ('service',      'Poor customer service',         'Schlechter Kundenservice',      '客户服务不佳',    40, true),
    ('billing',      'Billing dispute',               'Rechnungsstreit',               '账单争议',       50, true),
    ('relocation',   'Moving away',                   'Umzug',                         '搬迁',          60, true),
    ('handset',      'Handset or device',             'Endgerät',                      '终端问题',       70, true),
    ('second_line',  'Second line no longer needed',  'Zweitanschluss nicht mehr nötig', '副卡不再需要',    80, true),
    ('other',        'Other',                         'Sonstiges',                     '其他',          90, true)
) as seed(reason_id, name_en, name_de, name_zh, sort_order, active)
where not exists (select 1 from ops.churn_reason);

create sequence if not exists ops.cube_view_id_seq start 1;
create table if not exists ops.cube_view (
    view_id         bigint primary key,
    owner           varchar not null,
    name            varchar not null,
    shared          boolean not null default false,
    cube_id         varchar not null,
    request_json    varchar not null,
    created_at      timestamp not null,
    updated_at      timestamp not null
);

create sequence if not exists ops.delivery_subscription_id_seq start 1;
create sequence if not exists ops.delivery_run_id_seq start 1;
create sequence if not exists ops.inbox_item_id_seq start 1;
create table if not exists ops.delivery_subscription (
    subscription_id bigint primary key,
    username        varchar not null,
    report_id       varchar not null,
    parameters_json varchar not null,
    schedule_kind   varchar not null,
    schedule_time   varchar not null,
    schedule_day    integer,
    cron            varchar not null,
    file_type       varchar not null,
    skip_if_empty   boolean not null default false,
    paused          boolean not null default false,
    deleted         boolean not null default false,
    next_due_at     timestamp not null,
    created_at      timestamp not null,
    updated_at      timestamp not null
);
create table if not exists ops.delivery_run (
    run_id          bigint primary key,
    subscription_id bigint not null,
    username        varchar not null,
    report_id       varchar not null,
    due_at          timestamp not null,
    status          varchar not null,
    attempts        integer not null default 0,
    next_attempt_at timestamp,
    error           varchar,
    rows_delivered  bigint,
    mailed          boolean not null default false,
    created_at      timestamp not null,
    finished_at     timestamp
);
create table if not exists ops.inbox_item (
    item_id         bigint primary key,
    run_id          bigint not null,
    subscription_id bigint not null,
    username        varchar not null,
    report_id       varchar not null,
    file_name       varchar not null,
    file_type       varchar not null,
    content         bytea not null,
    rows_delivered  bigint not null,
    created_at      timestamp not null
);

create sequence if not exists ops.work_order_id_seq start 1;
create table if not exists ops.work_order (
    work_order_id   bigint primary key,
    task_id         bigint not null,
    subscriber_id   varchar not null,
    city_code       varchar not null,
    department      varchar not null,
    description     varchar not null,
    amount          decimal(12,2),
    status          varchar not null,
    created_by      varchar not null,
    created_at      timestamp not null,
    approved_by     varchar,
    updated_by      varchar not null,
    updated_at      timestamp not null,
    version         integer not null default 0
);
create table if not exists ops.work_order_history (
    work_order_id   bigint not null,
    status          varchar not null,
    changed_by      varchar not null,
    changed_at      timestamp not null,
    note            varchar
);

create table if not exists ops.questionnaire (
    questionnaire_id    varchar primary key,
    name_en             varchar not null,
    name_de             varchar not null,
    name_zh             varchar not null,
    created_at          timestamp not null,
    created_by          varchar not null
);
create table if not exists ops.questionnaire_version (
    questionnaire_id    varchar not null,
    version             integer not null,
    status              varchar not null,
    definition_json     varchar not null,
    created_at          timestamp not null,
    created_by          varchar not null,
    published_at        timestamp,
    published_by        varchar,
    primary key (questionnaire_id, version)
);
create table if not exists ops.questionnaire_answer (
    task_id             bigint not null,
    questionnaire_id    varchar not null,
    version             integer not null,
    question_id         varchar not null,
    answer              varchar not null,
    answered_by         varchar not null,
    answered_at         timestamp not null
);
create index if not exists questionnaire_answer_task on ops.questionnaire_answer (task_id);

create table if not exists ops.offer (
    offer_id            varchar primary key,
    name_en             varchar not null,
    name_de             varchar not null,
    name_zh             varchar not null,
    description         varchar,
    monthly_value       double precision not null default 0,
    discount_pct        double precision not null default 0,
    plans               varchar,
    value_tiers         varchar,
    scenarios           varchar,
    payment_types       varchar,
    min_tenure_months   integer,
    max_tenure_months   integer,
    weight              double precision not null default 1,
    scenario_bonus      double precision not null default 0,
    tier_bonus          double precision not null default 0,
    active              boolean not null default true,
    updated_at          timestamp not null,
    updated_by          varchar not null
);

create table if not exists ops.new_subscriber_settings (
    settings_id             varchar primary key,
    activated_within_days   integer not null,
    channels                varchar,
    cities                  varchar,
    plans                   varchar,
    holdout_pct             double precision not null,
    updated_at              timestamp not null,
    updated_by              varchar not null
);
create table if not exists ops.campaign_run (
    campaign_id     bigint not null,
    run_at          timestamp not null,
    run_by          varchar not null,
    settings_json   varchar not null,
    added_members   bigint not null,
    added_tasks     bigint not null
);
create table if not exists ops.campaign_segment (
    campaign_id     bigint primary key,
    definition_json varchar not null,
    feature_month   date not null,
    scope_all       boolean not null,
    scope_cities    varchar
);

create sequence if not exists ops.sms_send_id_seq start 1;
create sequence if not exists ops.sms_message_id_seq start 1;
create table if not exists ops.sms_template (
    template_id     varchar not null,
    language        varchar not null,
    version         integer not null,
    name            varchar not null,
    body            varchar not null,
    active          boolean not null,
    created_at      timestamp not null,
    created_by      varchar not null,
    primary key (template_id, language, version)
);
create table if not exists ops.sms_send (
    send_id         bigint primary key,
    template_id     varchar not null,
    language        varchar not null,
    template_version integer not null,
    audience_kind   varchar not null,
    audience_ref    varchar not null,
    scope_all       boolean not null,
    scope_cities    varchar,
    recipients      integer not null,
    status          varchar not null,
    requested_by    varchar not null,
    requested_at    timestamp not null,
    approved_by     varchar,
    approved_at     timestamp
);
create table if not exists ops.sms_outbox (
    message_id          bigint primary key,
    send_id             bigint not null,
    subscriber_id       varchar not null,
    city_code           varchar not null,
    idempotency_key     varchar not null unique,
    body                varchar not null,
    encoding            varchar not null,
    segments            integer not null,
    status              varchar not null,
    suppressed_reason   varchar,
    attempts            integer not null,
    next_attempt_at     timestamp not null,
    last_error          varchar,
    gateway_message_id  varchar,
    contact_id          bigint,
    created_at          timestamp not null,
    updated_at          timestamp not null,
    sent_at             timestamp,
    delivered_at        timestamp
);
create index if not exists sms_outbox_status on ops.sms_outbox (status, next_attempt_at);
create table if not exists ops.sms_inbound (
    received_at     timestamp not null,
    subscriber_id   varchar,
    keyword         varchar not null,
    gateway_message_id varchar
);

create sequence if not exists ops.import_id_seq start 1;
create sequence if not exists ops.material_id_seq start 1;
create table if not exists ops.import_run (
    import_id       bigint primary key,
    kind            varchar not null,
    file_name       varchar not null,
    rows_in         integer not null,
    accepted        integer not null,
    rejected        integer not null,
    imported_at     timestamp not null,
    imported_by     varchar not null
);
create table if not exists ops.import_rejection (
    import_id       bigint not null,
    row_no          integer not null,
    reason          varchar not null
);
create table if not exists ops.handset (
    subscriber_id   varchar not null,
    brand           varchar not null,
    model           varchar not null,
    imei_tac        varchar not null,
    observed_on     date not null,
    import_id       bigint not null,
    imported_at     timestamp not null
);
create index if not exists handset_subscriber on ops.handset (subscriber_id);
create table if not exists ops.material (
    material_id     bigint not null,
    version         integer not null,
    title           varchar not null,
    kind            varchar not null,
    file_name       varchar not null,
    content_type    varchar not null,
    size_bytes      bigint not null,
    content         bytea not null,
    roles           varchar not null,
    uploaded_at     timestamp not null,
    uploaded_by     varchar not null,
    primary key (material_id, version)
);

create table if not exists ops.task_link (
    task_id         bigint not null,
    campaign_id     bigint not null,
    subscriber_id   varchar not null,
    scenario_ids    varchar not null,
    period          date not null,
    linked_at       timestamp not null,
    primary key (campaign_id, subscriber_id)
);
create index if not exists task_link_task on ops.task_link (task_id);

-- the warehouse attributes that ops reads need by name: scenario names (campaign titles) and region names. the node
-- that runs the pipeline refreshes them from the warehouse with every snapshot it publishes.
create table if not exists ops.scenario_name (
    scenario_id     varchar primary key,
    name_en         varchar not null,
    name_de         varchar not null,
    name_zh         varchar not null
);
create table if not exists ops.region_name (
    region_code     varchar primary key,
    region_level    varchar not null,
    region_name     varchar not null,
    region_name_zh  varchar
);

-- grain: one row per campaign and portal language: the title a person reads (as the duckdb view of sql/ddl/072)
create or replace view ops.campaign_title as
with

language as (
    select * from (values ('en'), ('de'), ('zh')) as l(lang)
),

named as (
    select
        campaign.campaign_id,
        language.lang,
        campaign.name,
        case
            when campaign.kind = 'scenario' and scenario.scenario_id is not null then
                case language.lang when 'de' then scenario.name_de when 'zh' then scenario.name_zh else scenario.name_en end
            when campaign.kind = 'retention' then
                case language.lang when 'de' then 'Kundenbindung' when 'zh' then '客户挽留' else 'Retention' end
            when campaign.kind = 'new_subscriber' then
                case language.lang when 'de' then 'Neukunden' when 'zh' then '新入网用户' else 'New subscribers' end
        end as subject,
        case language.lang
            when 'de' then (array['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September',
                'Oktober', 'November', 'Dezember'])[extract(month from campaign.period)::int]
                || ' ' || extract(year from campaign.period)::int::varchar
            when 'zh' then extract(year from campaign.period)::int::varchar || '年'
                || extract(month from campaign.period)::int::varchar || '月'
            else to_char(campaign.period, 'FMMonth YYYY')
        end as month_label
    from ops.campaign as campaign
    cross join language
    left join ops.scenario_name as scenario
        on scenario.scenario_id = campaign.scenario_id
),

final as (
    select campaign_id, lang, coalesce(subject || ' · ' || month_label, name) as title
    from named
)

select * from final;
