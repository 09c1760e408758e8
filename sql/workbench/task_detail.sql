-- grain: one task with its campaign, for the task page (the caller has checked the task is theirs)
with

task as (
    select * from ops.task where task_id = $task_id
),

campaign as (
    select * from ops.campaign
),

final as (
    select
        task.task_id,
        task.campaign_id,
        campaign.name as campaign_name,
        campaign.period,
        campaign.questionnaire_id,
        task.subscriber_id,
        task.city_code,
        task.value_tier,
        task.priority_score,
        task.priority,
        task.scenario_ids,
        task.status,
        task.result,
        task.assigned_to,
        task.due_date,
        task.callback_at,
        task.attempts,
        task.last_attempt_at,
        task.version
    from task
    left join campaign
        on campaign.campaign_id = task.campaign_id
)

select * from final
