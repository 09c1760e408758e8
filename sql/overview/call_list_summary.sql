-- grain: one row per dimension (status, team, agent, scenario, city, campaign) and value: the tasks in the user's
-- scope and how many of them are still open
with

task as (
    select * from ops.task
    where ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

campaign as (
    select * from ops.campaign
),

task_scenario as (
    select unnest(string_split(scenario_ids, ',')) as scenario_id, status from task
),

counted as (
    select 'status' as dimension, status as value, count(*) as tasks,
        count(*) filter (where status not in ('done', 'closed')) as open_tasks
    from task group by status
    union all
    select 'team', coalesce(team_id, '-'), count(*), count(*) filter (where status not in ('done', 'closed'))
    from task group by team_id
    union all
    select 'agent', coalesce(assigned_to, '-'), count(*), count(*) filter (where status not in ('done', 'closed'))
    from task group by assigned_to
    union all
    select 'scenario', trim(scenario_id), count(*), count(*) filter (where status not in ('done', 'closed'))
    from task_scenario group by trim(scenario_id)
    union all
    select 'city', city_code, count(*), count(*) filter (where status not in ('done', 'closed'))
    from task group by city_code
    union all
    select 'campaign', campaign.name || ' (' || campaign.status || ')', count(*),
        count(*) filter (where task.status not in ('done', 'closed'))
    from task
    inner join campaign
        on campaign.campaign_id = task.campaign_id
    group by campaign.name, campaign.status
),

final as (
    select dimension, value, tasks, open_tasks from counted
)

select * from final
order by dimension, tasks desc, value
