-- grain: one row per username: the team an agent works in (ops.agent), else the team on the account (supervisors)
with

agent as (
    select * from ops.agent where username = $username and active
),

app_user as (
    select * from ops.app_user where username = $username
),

final as (
    select coalesce((select any_value(team_id) from agent), (select any_value(team_id) from app_user)) as team_id
)

select * from final
