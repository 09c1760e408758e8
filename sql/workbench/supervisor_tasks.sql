-- grain: one row per task in the supervisor's regions matching the filters, best first. names in $lang: the campaign's
-- title, the customer, the city, the agent's display name; scenario_ids also hold the linked campaigns' reasons.
with

links as (
    select task_id, string_agg(scenario_ids, ',' order by linked_at) as scenario_ids
    from ops.task_link
    group by task_id
),

task as (
    select task.*, task.scenario_ids || coalesce(',' || links.scenario_ids, '') as all_scenario_ids
    from ops.task as task
    left join links
        on links.task_id = task.task_id
    where ($scope_all or list_contains(string_split($scope_cities, ','), task.city_code))
      and ($campaign_id is null or task.campaign_id = $campaign_id)
      and ($status is null or task.status = $status)
      and ($assigned_to is null or coalesce(task.assigned_to, '-') = $assigned_to)
      and ($city_code is null or task.city_code = $city_code)
      and ($scenario_id is null or list_contains(string_split(task.scenario_ids || coalesce(',' || links.scenario_ids, ''), ','), $scenario_id))
      and ($subscriber_id is null or task.subscriber_id = $subscriber_id)
),

campaign as (
    select campaign_id, title from ops.campaign_title where lang = $lang
),

agent as (
    select username, display_name from ops.agent
),

subscriber as (
    select subscriber_id, customer_id from dw.dim_subscriber where is_current
),

customer as (
    select customer_id, customer_name from dw.dim_customer
),

city as (
    select region_code, case when $lang = 'zh' then coalesce(region_name_zh, region_name) else region_name end as city_name
    from dw.dim_region
    where region_level = 'city'
),

final as (
    select
        task.task_id,
        task.campaign_id,
        campaign.title as campaign_name,
        task.subscriber_id,
        customer.customer_name,
        task.city_code,
        city.city_name,
        task.value_tier,
        task.priority_score,
        task.priority,
        task.all_scenario_ids as scenario_ids,
        task.status,
        task.result,
        task.team_id,
        task.assigned_to,
        agent.display_name as agent_name,
        task.due_date,
        task.callback_at,
        task.attempts,
        task.version,
        task.merged_into
    from task
    left join campaign
        on campaign.campaign_id = task.campaign_id
    left join agent
        on agent.username = task.assigned_to
    left join subscriber
        on subscriber.subscriber_id = task.subscriber_id
    left join customer
        on customer.customer_id = subscriber.customer_id
    left join city
        on city.region_code = task.city_code
)

select * from final
order by coalesce(priority, 6), priority_score desc, task_id
limit $limit
