-- one row per inbound call a telephony integration (cti) announced for an agent: the screen pop reads it by id, the
-- outcome that the agent saves for it links the call to its task and contact. the caller's number is kept for the
-- search the pop opens when it matches no single customer of the agent's regions.
create sequence if not exists ops.inbound_call_id_seq start 1;

create table if not exists ops.inbound_call (
    call_id        bigint not null,
    integration    varchar not null,   -- the configured integration that announced it (Telephony:Integrations)
    external_id    varchar,            -- the switch's own call id, if it sent one
    agent_username varchar not null,
    caller_number  varchar not null,
    received_at    timestamp not null, -- province wall clock, like every ops time
    subscriber_id  varchar,            -- the one current subscriber of the agent's regions with this number; null otherwise
    matches        integer not null,   -- how many current subscribers of the agent's regions have the number (0, 1, more)
    task_id        bigint,             -- set when the agent saves the call on a task
    contact_id     bigint
);
