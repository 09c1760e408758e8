-- grain: one row per campaign of a kind (new_subscriber, special), members and tasks counted within the scope, titled
-- in $lang (demo campaigns marked as such)
with

campaigns as (
    select * from ops.campaign where kind = $kind
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

title as (
    select campaign_id, title from ops.campaign_title where lang = $lang
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
        campaigns.period as Period,
        campaigns.status as Status,
        coalesce(members.members, 0) as Members,
        coalesce(members.treated, 0) as Treated,
        coalesce(members.control, 0) as Control,
        coalesce(members.excluded, 0) as Excluded,
        coalesce(tasks.tasks, 0) as Tasks,
        coalesce(title.title, campaigns.name) || case when campaigns.demo then ' (demo)' else '' end as Name
    from campaigns
    left join members
        on members.campaign_id = campaigns.campaign_id
    left join title
        on title.campaign_id = campaigns.campaign_id
    left join tasks
        on tasks.campaign_id = campaigns.campaign_id
)

select * from final
order by Period desc, CampaignId desc
