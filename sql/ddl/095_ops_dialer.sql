-- the outbound dialer (docs/workbench.md, Outbound dialer): which cities of a campaign a supervisor handed to the
-- dialer, the records the dialer was given (leases with an expiry, so two requests never get the same task) and every
-- attempt it reported (each one also an ops.contact row written by the agent workbench's outcome transaction).
create table if not exists ops.dialer_campaign (
    campaign_id  bigint not null,
    city_code    varchar not null,   -- one row per city of the campaign handed over (a supervisor hands their regions)
    mode         varchar not null,   -- preview | progressive
    status       varchar not null,   -- active | stopped
    handed_by    varchar not null,
    handed_at    timestamp not null, -- province wall clock, like every ops time
    stopped_by   varchar,
    stopped_at   timestamp
);

create sequence if not exists ops.dialer_lease_id_seq start 1;

create table if not exists ops.dialer_lease (
    lease_id       bigint not null,
    task_id        bigint not null,
    campaign_id    bigint not null,
    city_code      varchar not null,
    integration    varchar not null,   -- the telephony integration that asked (Telephony:Integrations)
    agent_username varchar not null,   -- the agent the record was served for
    leased_at      timestamp not null,
    expires_at     timestamp not null,
    reported_at    timestamp           -- its disposition was recorded
);

create sequence if not exists ops.dialer_attempt_id_seq start 1;

create table if not exists ops.dialer_attempt (
    attempt_id     bigint not null,
    lease_id       bigint,             -- null: from a results file
    external_id    varchar,            -- the dialer's call id: one attempt per integration and id
    task_id        bigint not null,
    campaign_id    bigint not null,
    city_code      varchar not null,
    integration    varchar not null,   -- the integration, or 'csv' for a results file
    agent_username varchar not null,
    disposition    varchar not null,   -- answered | no_answer | busy | voicemail | wrong_number
    contact_id     bigint not null,
    reported_at    timestamp not null
);
