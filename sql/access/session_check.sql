-- grain: one row for a session id: whether it may go on, and the account's state behind it
with

app_session as (
    select * from ops.app_session
    where session_id = $session_id
),

app_user as (
    select * from ops.app_user
),

final as (
    select
        app_session.session_id,
        app_session.username,
        app_session.revoked_at is null
            and app_session.expires_at > now()
            and app_session.last_seen_at > now() - to_minutes(cast($idle_minutes as bigint))
            and app_user.username is not null
            and not app_user.disabled as is_valid,
        app_user.updated_at as user_updated_at
    from app_session
    left join app_user
        on app_user.username = app_session.username
)

select * from final
