-- grain: one row per active agent of a team in the supervisor's regions: capacity and the tasks they hold
with

team as (
    select * from ops.team
    where active
      and (($scope_all) or (city_code is not null and list_contains(string_split($scope_cities, ','), city_code)))
),

agent as (
    select agent.*, team.city_code, team.kind as team_kind
    from ops.agent as agent
    inner join team
        on team.team_id = agent.team_id
    where agent.active
),

held as (
    select
        assigned_to as username,
        count(*) filter (where status in ('assigned', 'in_progress', 'callback')) as open_tasks,
        count(*) filter (where status = 'callback') as callbacks,
        count(*) filter (where status = 'done') as done
    from ops.task
    where assigned_to is not null
    group by assigned_to
),

final as (
    select agent.username, agent.display_name, agent.team_id, agent.city_code, agent.team_kind, agent.capacity,
        coalesce(held.open_tasks, 0) as open_tasks, coalesce(held.callbacks, 0) as callbacks,
        coalesce(held.done, 0) as done
    from agent
    left join held
        on held.username = agent.username
)

select * from final
order by team_kind desc, team_id, username
