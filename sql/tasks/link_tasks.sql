-- grain: one new link per treated member of the campaign that has no task in it yet while the subscriber already has
-- a live task (open, assigned, in progress, callback) in another campaign: one subscriber, one live conversation.
-- the member's scenarios join that task's reasons; no second task, no second agent. a member linked once is never
-- linked or given a task again by a re-run.
insert into ops.task_link (task_id, campaign_id, subscriber_id, scenario_ids, period, linked_at)

with

members as (
    select * from ops.campaign_member
    where campaign_id = $campaign_id and member_group = 'treated'
),

campaign as (
    select period from ops.campaign where campaign_id = $campaign_id
),

own_tasks as (
    select subscriber_id from ops.task where campaign_id = $campaign_id
),

linked as (
    select subscriber_id from ops.task_link where campaign_id = $campaign_id
),

live_tasks as (
    select task_id, subscriber_id
    from ops.task
    where status in ('open', 'assigned', 'in_progress', 'callback')
    -- one per subscriber, should the rule ever have been broken: the oldest
    qualify row_number() over (partition by subscriber_id order by created_at, task_id) = 1
),

final as (
    select
        live_tasks.task_id,
        $campaign_id as campaign_id,
        members.subscriber_id,
        members.scenario_ids,
        campaign.period,
        now() as linked_at
    from members
    inner join live_tasks
        on live_tasks.subscriber_id = members.subscriber_id
    cross join campaign
    where members.subscriber_id not in (select subscriber_id from own_tasks)
        and members.subscriber_id not in (select subscriber_id from linked)
)

select * from final
