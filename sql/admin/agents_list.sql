-- grain: one row per agent (people who work tasks), with their team
with

agent as (
    select * from ops.agent
),

final as (
    select username, display_name, team_id, capacity, account_manager_id, active
    from agent
)

select * from final
order by team_id, username
