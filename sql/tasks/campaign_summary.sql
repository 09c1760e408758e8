-- grain: one row per campaign of the period: who was alerted, held back, excluded (by reason), and how the tasks went out
-- (linked: treated members served by their live task of another campaign)
with

campaigns as (
    select * from ops.campaign where period = $period
),

members as (
    select campaign_id,
        count(*) as members,
        count(*) filter (where member_group <> 'excluded') as eligible,
        count(*) filter (where member_group = 'treated') as treated,
        count(*) filter (where member_group = 'control') as control,
        count(*) filter (where excluded_reason = 'blacklist') as excluded_blacklist,
        count(*) filter (where excluded_reason = 'opt_out') as excluded_opt_out,
        count(*) filter (where excluded_reason = 'recent_contact') as excluded_recent_contact,
        count(*) filter (where excluded_reason = 'open_complaint') as excluded_open_complaint,
        count(*) filter (where excluded_reason = 'churned') as excluded_churned
    from ops.campaign_member
    group by campaign_id
),

links as (
    select campaign_id, count(*) as linked
    from ops.task_link
    group by campaign_id
),

tasks as (
    select campaign_id,
        count(*) as tasks,
        count(*) filter (where assigned_to is not null) as assigned,
        count(*) filter (where assigned_to is null) as unassigned
    from ops.task
    group by campaign_id
),

final as (
    select
        campaigns.campaign_id as CampaignId, campaigns.campaign_key as CampaignKey, campaigns.name as Name,
        campaigns.holdout_pct as HoldoutPct,
        coalesce(members.members, 0) as Members, coalesce(members.eligible, 0) as Eligible,
        coalesce(members.treated, 0) as Treated, coalesce(members.control, 0) as Control,
        coalesce(members.excluded_blacklist, 0) as ExcludedBlacklist, coalesce(members.excluded_opt_out, 0) as ExcludedOptOut,
        coalesce(members.excluded_recent_contact, 0) as ExcludedRecentContact,
        coalesce(members.excluded_open_complaint, 0) as ExcludedOpenComplaint,
        coalesce(members.excluded_churned, 0) as ExcludedChurned,
        coalesce(tasks.tasks, 0) as Tasks, coalesce(tasks.assigned, 0) as Assigned, coalesce(tasks.unassigned, 0) as Unassigned,
        coalesce(links.linked, 0) as Linked
    from campaigns
    left join members
        on members.campaign_id = campaigns.campaign_id
    left join tasks
        on tasks.campaign_id = campaigns.campaign_id
    left join links
        on links.campaign_id = campaigns.campaign_id
)

select * from final
order by CampaignKey
