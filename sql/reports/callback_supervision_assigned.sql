-- grain: one row per task of the chosen period's campaigns assigned to the clicked agent, with the task's result (or
-- its status while open) and the scenarios behind it by name in the reader's language
with

task as (
    select * from ops.task
),

campaign as (
    select * from ops.campaign
),

scenario as (
    select * from det.scenario
),

subscriber as (
    -- no city_code: the row's own city is the one the scope filters
    select subscriber_id, msisdn, district_code, plan_code, status from dw.dim_subscriber where is_current
),

assigned as (
    select task.*
    from task
    join campaign on campaign.campaign_id = task.campaign_id
    where campaign.period = $period
        and task.assigned_to = $username
        and (cast($city as varchar) is null or task.city_code = $city)
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

task_scenario as (
    select task_id, trim(unnest(string_split(scenario_ids, ','))) as scenario_id
    from assigned
),

named_scenarios as (
    select
        task_scenario.task_id,
        string_agg(
            coalesce(case $lang when 'de' then scenario.name_de when 'zh' then scenario.name_zh else scenario.name_en end, task_scenario.scenario_id),
            '; ' order by task_scenario.scenario_id
        ) as scenarios
    from task_scenario
    left join scenario on scenario.scenario_id = task_scenario.scenario_id
    group by task_scenario.task_id
),

final as (
    select
        assigned.subscriber_id,
        subscriber.msisdn,
        assigned.city_code,
        subscriber.district_code,
        assigned.value_tier,
        subscriber.plan_code,
        coalesce(assigned.result, assigned.status) as status,
        named_scenarios.scenarios as detail
    from assigned
    left join subscriber on subscriber.subscriber_id = assigned.subscriber_id
    left join named_scenarios on named_scenarios.task_id = assigned.task_id
)

select * from final
order by subscriber_id
