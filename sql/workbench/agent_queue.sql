-- grain: one row per task assigned to the agent within their regions: callbacks due now first, then the
-- supervisor's priority override, then the model's priority score, then the due date
with

task as (
    select * from ops.task
    where assigned_to = $username
      and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
      and ($status is null and status in ('assigned', 'in_progress', 'callback') or status = $status)
      and ($campaign_id is null or campaign_id = $campaign_id)
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
        task.due_date,
        task.callback_at,
        task.attempts,
        task.last_attempt_at,
        task.version,
        task.status = 'callback' and task.callback_at <= $now as callback_due
    from task
    left join campaign
        on campaign.campaign_id = task.campaign_id
)

select * from final
order by callback_due desc, coalesce(priority, 6), priority_score desc, due_date nulls last, task_id
limit $limit
