-- grain: one row per task in the supervisor's regions matching the filters, best first
with

task as (
    select * from ops.task
    where ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
      and ($campaign_id is null or campaign_id = $campaign_id)
      and ($status is null or status = $status)
      and ($assigned_to is null or coalesce(assigned_to, '-') = $assigned_to)
      and ($city_code is null or city_code = $city_code)
      and ($scenario_id is null or list_contains(string_split(scenario_ids, ','), $scenario_id))
      and ($subscriber_id is null or subscriber_id = $subscriber_id)
),

campaign as (
    select campaign_id, name from ops.campaign
),

final as (
    select
        task.task_id,
        task.campaign_id,
        campaign.name as campaign_name,
        task.subscriber_id,
        task.city_code,
        task.value_tier,
        task.priority_score,
        task.priority,
        task.scenario_ids,
        task.status,
        task.result,
        task.team_id,
        task.assigned_to,
        task.due_date,
        task.callback_at,
        task.attempts,
        task.version
    from task
    left join campaign
        on campaign.campaign_id = task.campaign_id
)

select * from final
order by coalesce(priority, 6), priority_score desc, task_id
limit $limit
