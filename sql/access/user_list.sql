-- grain: one row per portal account, with the agent record (team, capacity) of those who work tasks
with

app_user as (
    select * from ops.app_user
),

agent as (
    select * from ops.agent
),

final as (
    select
        app_user.username,
        app_user.display_name,
        app_user.password_hash,
        app_user.source,
        app_user.roles,
        app_user.scope_province,
        app_user.scope_cities,
        coalesce(agent.team_id, app_user.team_id) as team_id,
        agent.capacity as agent_capacity,
        app_user.preferred_language,
        app_user.disabled,
        app_user.must_change_password,
        app_user.demo_seed,
        app_user.last_sign_in_at,
        app_user.created_at,
        app_user.updated_at
    from app_user
    left join agent
        on agent.username = app_user.username
)

select * from final
where $username is null or username = $username
order by username
