-- the portal's own accounts and their sessions. no primary keys (updated tables, see 005): usernames and session
-- ids are kept unique by the account and session services, which create them.

-- grain: one row per portal account (local, or created at first directory sign-in)
create table if not exists ops.app_user (
    username                varchar not null,   -- sign-in name, lower case; the join key to ops.agent
    display_name            varchar not null,
    password_hash           varchar,            -- ASP.NET Core Identity PasswordHasher v3; null for directory accounts
    source                  varchar not null,   -- local | ldap | oidc
    roles                   varchar not null,   -- comma-separated role names (PortalRoles)
    scope_province          boolean not null default false,
    scope_cities            varchar,            -- comma-separated city codes when not province-wide; null: none
    team_id                 varchar,            -- a supervisor's team (agents' team is ops.agent.team_id)
    preferred_language      varchar not null default 'en',
    disabled                boolean not null default false,
    must_change_password    boolean not null default false,
    demo_seed               boolean not null default false, -- seeded demo account with the documented password
    failed_attempts         integer not null default 0,
    locked_until            timestamp,
    last_sign_in_at         timestamp,
    created_at              timestamp not null,
    updated_at              timestamp not null
);

-- grain: one row per cookie session; the cookie carries session_id, every request and circuit checks this row,
-- so signing out (or an administrator disabling the account) ends the session on the server
create table if not exists ops.app_session (
    session_id      varchar not null,
    username        varchar not null,
    created_at      timestamp not null,
    last_seen_at    timestamp not null,
    expires_at      timestamp not null,     -- absolute end, whatever the activity
    revoked_at      timestamp,
    revoked_reason  varchar,                -- sign_out | disabled | password_changed | password_reset
    client_ip       varchar
);
