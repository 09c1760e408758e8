-- grain: one row per special campaign with its segment, members and tasks counted within the scope
with

campaigns as (
    select * from ops.campaign where kind = 'special'
),

segments as (
    select * from ops.campaign_segment
),

members as (
    select campaign_id,
        count(*) as members,
        count(*) filter (where member_group = 'treated') as treated,
        count(*) filter (where member_group = 'control') as control,
        count(*) filter (where member_group = 'excluded') as excluded
    from ops.campaign_member
    where campaign_id in (select campaign_id from campaigns)
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
    group by campaign_id
),

tasks as (
    select campaign_id, count(*) as tasks
    from ops.task
    where campaign_id in (select campaign_id from campaigns)
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
    group by campaign_id
),

final as (
    select
        campaigns.campaign_id as CampaignId,
        campaigns.campaign_key as CampaignKey,
        campaigns.name as Name,
        campaigns.period as Period,
        campaigns.questionnaire_id as QuestionnaireId,
        campaigns.holdout_pct as HoldoutPct,
        campaigns.created_by as CreatedBy,
        campaigns.created_at as CreatedAt,
        segments.definition_json as SegmentJson,
        coalesce(members.members, 0) as Members,
        coalesce(members.treated, 0) as Treated,
        coalesce(members.control, 0) as Control,
        coalesce(members.excluded, 0) as Excluded,
        coalesce(tasks.tasks, 0) as Tasks
    from campaigns
    inner join segments
        on segments.campaign_id = campaigns.campaign_id
    left join members
        on members.campaign_id = campaigns.campaign_id
    left join tasks
        on tasks.campaign_id = campaigns.campaign_id
)

select * from final
order by CreatedAt desc, CampaignId desc
