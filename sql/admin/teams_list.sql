-- grain: one row per team, with its active agents and their summed capacity
with

team as (
    select * from ops.team
),

agent as (
    select * from ops.agent where active
),

staffing as (
    select team_id, count(*) as agents, sum(capacity) as capacity
    from agent
    group by team_id
),

final as (
    select
        team.team_id,
        team.name,
        team.kind,
        team.city_code,
        team.value_tiers,
        team.active,
        coalesce(staffing.agents, 0) as agents,
        coalesce(staffing.capacity, 0) as capacity
    from team
    left join staffing
        on staffing.team_id = team.team_id
)

select * from final
order by city_code nulls first, team_id
