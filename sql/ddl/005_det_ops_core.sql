-- the tables where scenario detection, the churn model, call lists and the portal meet.
-- det: what the detectors and the model found. ops: the retention department's own operational data.
-- updated tables carry no primary key or unique index: DuckDB reports a conflict when an indexed row is updated
-- twice in one transaction, so uniqueness is kept by the services that write them (and checked by tests).
create schema if not exists det;
create schema if not exists ops;

-- one row per scenario: the catalogue, synchronised from sql/scenarios and from the analysts' custom rules
create table if not exists det.scenario (
    scenario_id     varchar not null,   -- e.g. s04_bill_drop; custom rules: custom_<rule id>
    kind            varchar not null,   -- scenario | analysis | custom
    name_en         varchar not null,
    name_de         varchar not null,
    name_zh         varchar not null,
    description_en  varchar,
    target_segment  varchar,
    priority        integer not null,   -- 1 (most urgent) .. 5
    action          varchar not null,   -- call | sms | both | report
    enabled         boolean not null default true
);

-- grain: one row per scenario, period (month start) and subscriber
create table if not exists det.alert (
    scenario_id     varchar not null,
    period          date not null,
    subscriber_id   varchar not null,
    city_code       varchar not null,
    value_tier      varchar,
    score           double not null,    -- ranking within the scenario, 0..1, higher is more urgent
    evidence        varchar not null,   -- readable, with figures: "bill 3-month average 128.40 -> this month 41.20, -68%"
    evidence_json   varchar,            -- the same figures by name, for rendering in other languages
    params_hash     varchar not null,
    run_id          bigint not null,
    detected_at     timestamp not null
);

-- grain: one row per subscriber and period scored by the active churn model
create table if not exists det.churn_score (
    subscriber_id   varchar not null,
    period          date not null,
    city_code       varchar not null,
    score           double not null,    -- probability of churn next month, 0..1
    model_id        varchar not null,
    top_factors     varchar,            -- the features that raised this score most, readable
    scored_at       timestamp not null
);

-- retention teams: by city and value tiers; kind account_managers holds the high-value account managers
create table if not exists ops.team (
    team_id         varchar not null,
    name            varchar not null,
    kind            varchar not null,   -- retention | account_managers | callback
    city_code       varchar,            -- null: province-wide
    value_tiers     varchar,            -- comma-separated value tiers the team serves; null: all
    active          boolean not null default true
);

-- people who work tasks; username is the portal sign-in name
create table if not exists ops.agent (
    username            varchar not null,
    display_name        varchar not null,
    team_id             varchar not null,
    capacity            integer not null,   -- open tasks an agent may hold at once
    account_manager_id  varchar,            -- the id used in the subscription extract, for account managers
    active              boolean not null default true
);

create sequence if not exists ops.campaign_id_seq start 1;

-- grain: one campaign per scenario and period by default, or a combined retention campaign
create table if not exists ops.campaign (
    campaign_id     bigint not null,
    campaign_key    varchar not null,   -- natural key: <scenario_id or 'retention'>:<yyyy-MM>; re-runs find it
    name            varchar not null,
    kind            varchar not null,   -- scenario | retention | special | new_subscriber
    scenario_id     varchar,
    period          date not null,
    holdout_pct     double not null,    -- share of eligible subscribers held back as the control group
    seed            varchar not null,   -- makes the control group reproducible
    status          varchar not null,   -- open | closed | recycled
    created_at      timestamp not null,
    created_by      varchar not null
);

-- grain: one row per campaign and eligible subscriber: treated (a task exists) or control (held back), or why
-- the subscriber was excluded; effectiveness compares the retention of treated and control
create table if not exists ops.campaign_member (
    campaign_id     bigint not null,
    subscriber_id   varchar not null,
    city_code       varchar not null,
    member_group    varchar not null,   -- treated | control | excluded
    excluded_reason varchar,            -- blacklist | opt_out | recent_contact | open_complaint | churned
    risk_score      double not null,
    added_at        timestamp not null
);

create sequence if not exists ops.task_id_seq start 1;

-- grain: one task per campaign and treated subscriber (at most one open)
create table if not exists ops.task (
    task_id         bigint not null,
    campaign_id     bigint not null,
    subscriber_id   varchar not null,
    city_code       varchar not null,
    value_tier      varchar,
    priority_score  double not null,    -- value tier weight x risk score: the queue order
    scenario_ids    varchar not null,   -- comma-separated scenarios behind the task
    status          varchar not null,   -- open | assigned | in_progress | callback | done | closed
    team_id         varchar,
    assigned_to     varchar,            -- ops.agent.username
    due_date        date,
    attempts        integer not null default 0,
    version         integer not null default 0,  -- conditional updates: claim and save check it
    created_at      timestamp not null,
    updated_at      timestamp not null
);

create sequence if not exists ops.contact_id_seq start 1;

-- every contact made with a subscriber, by call or SMS: the contact-pressure rule reads it
create table if not exists ops.contact (
    contact_id      bigint not null,
    subscriber_id   varchar not null,
    channel         varchar not null,   -- call | sms
    contact_time    timestamp not null,
    task_id         bigint,
    username        varchar,
    outcome         varchar
);

-- do-not-contact and opt-out list
create table if not exists ops.blacklist (
    subscriber_id   varchar not null,
    scope           varchar not null,   -- call | sms | both
    reason          varchar not null,   -- opt_out | complaint | legal | request | other
    source          varchar not null,   -- ui | import | sms_reply | system
    valid_until     date,               -- null: no expiry
    created_at      timestamp not null,
    created_by      varchar not null
);
