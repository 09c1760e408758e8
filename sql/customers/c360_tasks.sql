-- grain: one row per retention task of the subscriber with its campaign (titled in $lang) and agent's display name,
-- open ones first, then newest first.
with

tasks as (
    select * from ops.task where subscriber_id = $subscriber_id
),

final as (
    select
        tasks.task_id as TaskId,
        tasks.campaign_id as CampaignId,
        coalesce(title.title, campaign.name) as CampaignName,
        campaign.kind as CampaignKind,
        campaign.period as CampaignPeriod,
        tasks.scenario_ids as ScenarioIds,
        tasks.status as Status,
        tasks.team_id as TeamId,
        tasks.assigned_to as AssignedTo,
        tasks.due_date as DueDate,
        tasks.attempts as Attempts,
        tasks.created_at as CreatedAt,
        tasks.updated_at as UpdatedAt,
        tasks.status not in ('done', 'closed') as IsOpen,
        agent.display_name as AgentName,
        tasks.merged_into as MergedInto
    from tasks
    left join ops.campaign as campaign
        on campaign.campaign_id = tasks.campaign_id
    left join ops.campaign_title as title
        on title.campaign_id = tasks.campaign_id and title.lang = $lang
    left join ops.agent as agent
        on agent.username = tasks.assigned_to
    order by IsOpen desc, tasks.created_at desc, tasks.task_id desc
)

select * from final
