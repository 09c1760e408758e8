-- grain: one task with its campaign (titled in $lang), customer and city, for the task page (the caller has checked the
-- task is theirs); scenario_ids also hold the reasons of the campaigns linked to the task, linked_campaigns their titles.
-- one read by key over ops.* (and the city's name from the small region catalogue; no subscriber or customer read)
with

task as (
    select * from ops.task where task_id = $task_id
),

links as (
    select
        link.task_id,
        string_agg(link.scenario_ids, ',' order by link.linked_at) as scenario_ids,
        string_agg(title.title, ' · ' order by link.linked_at) as campaigns
    from ops.task_link as link
    left join ops.campaign_title as title
        on title.campaign_id = link.campaign_id and title.lang = $lang
    where link.task_id = $task_id
    group by link.task_id
),

campaign as (
    select campaign.*, title.title
    from ops.campaign as campaign
    left join ops.campaign_title as title
        on title.campaign_id = campaign.campaign_id and title.lang = $lang
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
        coalesce(campaign.title, campaign.name) as campaign_name,
        campaign.period,
        campaign.questionnaire_id,
        task.subscriber_id,
        task.city_code,
        city.city_name,
        task.value_tier,
        task.priority_score,
        task.priority,
        task.scenario_ids || coalesce(',' || links.scenario_ids, '') as scenario_ids,
        links.campaigns as linked_campaigns,
        task.status,
        task.result,
        task.assigned_to,
        agent.display_name as agent_name,
        task.due_date,
        task.callback_at,
        task.attempts,
        task.last_attempt_at,
        task.version,
        task.merged_into
    from task
    left join campaign
        on campaign.campaign_id = task.campaign_id
    left join links
        on links.task_id = task.task_id
    left join city
        on city.region_code = task.city_code
    left join ops.agent as agent
        on agent.username = task.assigned_to
)

select * from final
