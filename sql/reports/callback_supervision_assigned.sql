-- grain: one row per task of the chosen period's campaigns assigned to the clicked agent
with

task as (
    select * from ops.task
),

campaign as (
    select * from ops.campaign
),

subscriber as (
    -- no city_code: the row's own city is the one the scope filters
    select subscriber_id, msisdn, district_code, plan_code, status from dw.dim_subscriber where is_current
),

final as (
    select
        task.subscriber_id,
        subscriber.msisdn,
        task.city_code,
        subscriber.district_code,
        task.value_tier,
        subscriber.plan_code,
        task.status,
        coalesce(task.result, '') || ' (' || task.scenario_ids || ')' as detail
    from task
    join campaign on campaign.campaign_id = task.campaign_id
    left join subscriber on subscriber.subscriber_id = task.subscriber_id
    where campaign.period = $period
        and task.assigned_to = $username
        and (cast($city as varchar) is null or task.city_code = $city)
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
)

select * from final
order by subscriber_id
