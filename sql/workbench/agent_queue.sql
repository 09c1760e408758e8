-- grain: one row per task assigned to the agent within their regions: callbacks due now first, then the
-- supervisor's priority override, then the model's priority score, then the due date. names in $lang: the campaign's
-- title, the customer and the city; scenario_ids also hold the reasons of the campaigns linked to the task.
-- the agent's page of tasks is cut from ops.task first, then named: the customer's name is the task's own (copied from
-- the serving profile when the task was generated), the campaign's and the city's from their small catalogues; the
-- warehouse's subscribers and customers are never read per request.
with

task as (
    select *, status = 'callback' and callback_at <= $now as callback_due
    from ops.task
    where assigned_to = $username
      and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
      and ($status is null and status in ('assigned', 'in_progress', 'callback') or status = $status)
      and ($campaign_id is null or campaign_id = $campaign_id)
      and ($subscriber_id is null or subscriber_id = $subscriber_id)
    order by callback_due desc, coalesce(priority, 6), priority_score desc, due_date nulls last, task_id
    limit $limit
),

campaign as (
    select campaign_id, title from ops.campaign_title where lang = $lang
),

links as (
    select task_id, string_agg(scenario_ids, ',' order by linked_at) as scenario_ids
    from ops.task_link
    where task_id in (select task_id from task)
    group by task_id
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
        task.customer_name,
        task.city_code,
        city.city_name,
        task.value_tier,
        task.priority_score,
        task.priority,
        task.scenario_ids || coalesce(',' || links.scenario_ids, '') as scenario_ids,
        task.status,
        task.due_date,
        task.callback_at,
        task.attempts,
        task.last_attempt_at,
        task.version,
        task.callback_due
    from task
    left join campaign
        on campaign.campaign_id = task.campaign_id
    left join links
        on links.task_id = task.task_id
    left join city
        on city.region_code = task.city_code
)

select * from final
order by callback_due desc, coalesce(priority, 6), priority_score desc, due_date nulls last, task_id
