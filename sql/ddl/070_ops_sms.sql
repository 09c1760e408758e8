-- bulk SMS: templates (every edit a new version), send requests with their approval, and the outbox the dispatch
-- job works through. an SMS that reached the gateway is also one ops.contact row (channel sms), so the contact-pressure
-- rule of the call lists sees it. no keys on updated tables (see 005): the services keep ids and keys unique.
create sequence if not exists ops.sms_send_id_seq start 1;
create sequence if not exists ops.sms_message_id_seq start 1;

-- grain: one row per template, language and version; the newest version of a template and language is the one in use
create table if not exists ops.sms_template (
    template_id     varchar not null,   -- e.g. contract_renewal
    language        varchar not null,   -- en | de | zh
    version         integer not null,   -- 1, 2, ...: an edit adds a version, never overwrites one
    name            varchar not null,
    body            varchar not null,   -- with {placeholders}; the opt-out text is appended at send time, not stored
    active          boolean not null,
    created_at      timestamp not null,
    created_by      varchar not null
);

-- grain: one row per send request (template + audience), replaced as it moves through approval
create table if not exists ops.sms_send (
    send_id         bigint not null,
    template_id     varchar not null,
    language        varchar not null,
    template_version integer not null,
    audience_kind   varchar not null,   -- alerts | call_list | saved_filter
    audience_ref    varchar not null,   -- alerts: <scenario_id>:<yyyy-MM>; call_list: <campaign_id>[:not_reached]; saved_filter: custom_<rule id>
    scope_all       boolean not null,   -- the requester's scope when the audience was drawn
    scope_cities    varchar,
    recipients      integer not null,
    status          varchar not null,   -- pending_approval | approved | rejected
    requested_by    varchar not null,
    requested_at    timestamp not null,
    approved_by     varchar,            -- the requester for a small send; another supervisor or administrator above the threshold
    approved_at     timestamp
);

-- grain: one message per send and subscriber. idempotency_key = sms:<send_id>:<subscriber_id>, sent to the gateway,
-- which accepts a key once; every state change is a conditional update on the current status.
--   pending -> sending -> sent -> delivered | failed        (gateway and receipts)
--   pending -> deferred (quiet hours) -> pending work again   retry (gateway error, backoff) -> sending
--   pending | deferred | retry -> suppressed (reason)        error (max attempts reached)
create table if not exists ops.sms_outbox (
    message_id          bigint not null,
    send_id             bigint not null,
    subscriber_id       varchar not null,
    city_code           varchar not null,
    idempotency_key     varchar not null,
    body                varchar not null,   -- personal (names): read by the dispatcher only, never logged
    encoding            varchar not null,   -- gsm7 | ucs2
    segments            integer not null,
    status              varchar not null,
    suppressed_reason   varchar,            -- opt_out | blacklist | frequency_cap | no_consent | churned | no_number
    attempts            integer not null,
    next_attempt_at     timestamp not null,
    last_error          varchar,            -- the gateway's status code or error kind, never the text
    gateway_message_id  varchar,
    contact_id          bigint,
    created_at          timestamp not null,
    updated_at          timestamp not null,
    sent_at             timestamp,
    delivered_at        timestamp
);

-- grain: one row per inbound message from the gateway (replies); the text itself is not kept, only what it meant
create table if not exists ops.sms_inbound (
    received_at     timestamp not null,
    subscriber_id   varchar,            -- null: the sender number matched no subscriber
    keyword         varchar not null,   -- opt_out | other
    gateway_message_id varchar
);
