-- grain: one new cookie session
insert into ops.app_session (session_id, username, created_at, last_seen_at, expires_at, client_ip)
values ($session_id, $username, now(), now(), now() + to_minutes(cast($absolute_minutes as bigint)), $client_ip)
