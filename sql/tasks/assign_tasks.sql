-- grain: every open, unassigned task of the campaign gets its team and, while capacity lasts, an agent. high-value
-- subscribers with an account manager go to that manager; the others to their city's retention team for their value
-- tier, spread over its agents by open-task load: each agent's free slots are numbered by the load they would bring
-- the agent to, and the team's tasks (best priority first) take the slots lowest load first. tasks that find no slot
-- stay open with their team set, for the supervisor. tasks already assigned or worked are never touched.
-- the generator routes the whole campaign (province scope); a supervisor's "distribute" only their regions' tasks.
update ops.task
set team_id = assignment.team_id,
    assigned_to = assignment.assigned_to,
    status = case when assignment.assigned_to is null then 'open' else 'assigned' end,
    version = version + 1,
    updated_at = now()
from (

    with

    tasks as (
        select task.task_id, task.subscriber_id, task.city_code, task.value_tier, task.priority_score,
            subscribers.account_manager_id
        from ops.task as task
        left join dw.dim_subscriber as subscribers
            on subscribers.subscriber_id = task.subscriber_id and subscribers.is_current
        where task.campaign_id = $campaign_id
            and task.status = 'open'
            and task.assigned_to is null
            and ($scope_all or list_contains(string_split($scope_cities, ','), task.city_code))
    ),

    teams as (
        select * from ops.team where active
    ),

    agents as (
        select agent.*
        from ops.agent as agent
        inner join teams
            on teams.team_id = agent.team_id
        where agent.active
    ),

    open_load as (
        select assigned_to as username, count(*) as open_tasks
        from ops.task
        where assigned_to is not null and status in ('assigned', 'in_progress', 'callback')
        group by all
    ),

    -- one slot per task an agent can still take; level = the agent's load once the slot is filled
    slots as (
        select agents.username, agents.team_id, agents.account_manager_id, unnest(range(
            coalesce(open_load.open_tasks, 0) + 1, agents.capacity + 1)) as level
        from agents
        left join open_load
            on open_load.username = agents.username
    ),

    account_manager_route as (
        select tasks.task_id, 'agent:' || agents.username as route, agents.team_id
        from tasks
        inner join agents
            on agents.account_manager_id = tasks.account_manager_id
        where tasks.value_tier = 'high'
        qualify row_number() over (partition by tasks.task_id order by agents.username) = 1
    ),

    team_route as (
        select tasks.task_id, 'team:' || teams.team_id as route, teams.team_id
        from tasks
        inner join teams
            on teams.city_code = tasks.city_code
            and (teams.value_tiers is null or list_contains(string_split(teams.value_tiers, ','), tasks.value_tier))
        where tasks.task_id not in (select task_id from account_manager_route)
        -- a retention team first; a high-value subscriber without a manager goes to the city's account managers' queue
        qualify row_number() over (
            partition by tasks.task_id order by case teams.kind when 'retention' then 0 else 1 end, teams.team_id) = 1
    ),

    routes as (
        select * from account_manager_route
        union all
        select * from team_route
    ),

    ranked_tasks as (
        select routes.*, row_number() over (
            partition by routes.route order by tasks.priority_score desc, tasks.subscriber_id) as slot_no
        from routes
        inner join tasks
            on tasks.task_id = routes.task_id
    ),

    agent_slots as (
        select 'agent:' || username as route, username, row_number() over (
            partition by username order by level) as slot_no
        from slots
        where account_manager_id is not null
    ),

    team_slots as (
        select 'team:' || slots.team_id as route, slots.username, row_number() over (
            partition by slots.team_id order by slots.level, slots.username) as slot_no
        from slots
        inner join teams
            on teams.team_id = slots.team_id
        where teams.kind <> 'account_managers'
    ),

    available_slots as (
        select * from agent_slots
        union all
        select * from team_slots
    ),

    final as (
        select tasks.task_id as assigned_task_id, ranked_tasks.team_id, available_slots.username as assigned_to
        from tasks
        left join ranked_tasks
            on ranked_tasks.task_id = tasks.task_id
        left join available_slots
            on available_slots.route = ranked_tasks.route
            and available_slots.slot_no = ranked_tasks.slot_no
    )

    select * from final

) as assignment
where task_id = assignment.assigned_task_id
