-- grain: one row per campaign with tasks in the supervisor's regions, with those tasks counted by state
with

task as (
    select * from ops.task
    where ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

campaign as (
    select * from ops.campaign
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

final as (
    select campaign.campaign_id, campaign.name, campaign.kind, campaign.period, campaign.status,
        counted.tasks, counted.unassigned, counted.in_work, counted.done, counted.closed
    from counted
    inner join campaign
        on campaign.campaign_id = counted.campaign_id
)

select * from final
order by period desc, name
