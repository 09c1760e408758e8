-- one row per audited action: sign-ins, denials, exports, customer views, number reveals, parameter and user
-- changes. identifiers only (user names, subscriber ids, report ids): never names, numbers or free text a
-- person typed about a customer.
create sequence if not exists ops.audit_id_seq start 1;

create table if not exists ops.audit_log (
    audit_id    bigint not null,
    occurred_at timestamp not null,
    username    varchar,            -- null: anonymous or the system
    action      varchar not null,   -- sign_in | sign_in_failed | sign_out | denied | export | customer_view | reveal | parameter_change | user_change | ...
    target      varchar,            -- what it concerned, by identifier: subscriber id, report id, user name
    outcome     varchar not null,   -- ok | denied | failed
    detail      varchar,            -- identifiers and counts only
    client_ip   varchar
);
