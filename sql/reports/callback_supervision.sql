-- grain: one row per team and agent: the tasks of the chosen period's campaigns assigned to them, and how many they
-- attempted (a call made), reached (a call got through) and succeeded with (result retained or offer accepted)
with

task as (
    select * from ops.task
),

campaign as (
    select * from ops.campaign
),

contact as (
    select * from ops.contact
),

agent as (
    select * from ops.agent
),

calls as (
    select
        task_id,
        count(*) as calls,
        bool_or(outcome = 'reached') as reached,
        bool_or(result in ('retained', 'accepted_offer')) as succeeded
    from contact
    where channel = 'call' and task_id is not null
    group by task_id
),

tasks as (
    select task.*, calls.calls, calls.reached, calls.succeeded
    from task
    join campaign on campaign.campaign_id = task.campaign_id
    left join calls on calls.task_id = task.task_id
    where campaign.period = $period
        and task.assigned_to is not null
        and (cast($city as varchar) is null or task.city_code = $city)
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

final as (
    select
        coalesce(tasks.team_id, agent.team_id) as team_id,
        tasks.assigned_to as username,
        count(*) as assigned,
        count(*) filter (where tasks.attempts > 0 or tasks.calls > 0) as attempted,
        count(*) filter (where tasks.reached) as reached,
        count(*) filter (where tasks.succeeded or tasks.result in ('retained', 'accepted_offer')) as succeeded,
        count(*) filter (where tasks.status in ('done', 'closed')) as closed,
        count(*) filter (where tasks.attempts > 0 or tasks.calls > 0) / count(*) as attempt_rate,
        count(*) filter (where tasks.reached) / nullif(count(*) filter (where tasks.attempts > 0 or tasks.calls > 0), 0) as reach_rate,
        count(*) filter (where tasks.succeeded or tasks.result in ('retained', 'accepted_offer')) / nullif(count(*) filter (where tasks.reached), 0) as success_rate
    from tasks
    left join agent on agent.username = tasks.assigned_to
    group by all
)

select * from final
order by team_id, username
