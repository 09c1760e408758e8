-- grain: one row per campaign with tasks in the supervisor's regions, with those tasks counted by state, titled in
-- $lang; linked: treated members whose reasons joined their live task of another campaign
with

task as (
    select * from ops.task
    where ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

campaign as (
    select campaign.*, title.title
    from ops.campaign as campaign
    left join ops.campaign_title as title
        on title.campaign_id = campaign.campaign_id and title.lang = $lang
),

counted as (
    select
        campaign_id,
        count(*) as tasks,
        count(*) filter (where status = 'open') as unassigned,
        count(*) filter (where status in ('assigned', 'in_progress', 'callback')) as in_work,
        count(*) filter (where status = 'done') as done,
        count(*) filter (where status = 'closed') as closed
    from task
    group by campaign_id
),

linked as (
    select link.campaign_id, count(*) as linked
    from ops.task_link as link
    inner join task
        on task.task_id = link.task_id
    group by link.campaign_id
),

final as (
    select campaign.campaign_id, coalesce(campaign.title, campaign.name) as name, campaign.kind, campaign.period,
        campaign.status, counted.tasks, counted.unassigned, counted.in_work, counted.done, counted.closed,
        coalesce(linked.linked, 0) as linked
    from counted
    inner join campaign
        on campaign.campaign_id = counted.campaign_id
    left join linked
        on linked.campaign_id = counted.campaign_id
)

select * from final
order by period desc, name
