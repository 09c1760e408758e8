-- grain: benchmark set-up on a warehouse copy (ra benchmark agents --setup): an assigned task for every $every-th current subscriber
-- (those of the serving profile, named from it like generated tasks), spread over the city's agents. only run on a copy: it adds rows to ops.campaign, ops.agent and ops.task.
insert into ops.task (task_id, campaign_id, subscriber_id, city_code, value_tier, priority_score, scenario_ids, status,
    team_id, assigned_to, due_date, attempts, version, created_at, updated_at, customer_name)

with

subscriber as (
    select subscriber_id, city_code, value_tier, customer_name
    from mart.subscriber_profile
    where hash(subscriber_id) % $every = 0
      and not exists (select 1 from ops.task where campaign_id = (select campaign_id from ops.campaign where campaign_key = 'bench:agents'))
),

agent as (
    select agent.username, agent.team_id, team.city_code,
        row_number() over (partition by team.city_code order by agent.username) - 1 as slot,
        count(*) over (partition by team.city_code) as agents
    from ops.agent as agent
    inner join ops.team as team
        on team.team_id = agent.team_id
    where agent.username like 'bench.%'
),

numbered as (
    select *, row_number() over (partition by city_code order by subscriber_id) - 1 as n
    from subscriber
),

final as (
    select
        nextval('ops.task_id_seq') as task_id,
        (select campaign_id from ops.campaign where campaign_key = 'bench:agents') as campaign_id,
        numbered.subscriber_id,
        numbered.city_code,
        numbered.value_tier,
        (hash(numbered.subscriber_id) % 1000) / 1000.0 as priority_score,
        's13_churn_risk' as scenario_ids,
        'assigned' as status,
        agent.team_id,
        agent.username as assigned_to,
        current_date + 7 as due_date,
        0 as attempts,
        0 as version,
        now() as created_at,
        now() as updated_at,
        numbered.customer_name
    from numbered
    inner join agent
        on agent.city_code = numbered.city_code
        and agent.slot = numbered.n % agent.agents
)

select * from final
