-- grain: one new open task per treated member of the campaign that has no task in it yet (at most one task per
-- subscriber and campaign, so a re-run adds none) and no live task anywhere (those were linked to it before, see
-- sql/tasks/link_tasks.sql). priority = value tier weight x risk score: the queue order.
insert into ops.task
    (task_id, campaign_id, subscriber_id, city_code, value_tier, priority_score, scenario_ids, status, team_id,
     assigned_to, due_date, attempts, version, created_at, updated_at)

with

members as (
    select * from ops.campaign_member
    where campaign_id = $campaign_id and member_group = 'treated'
),

existing_tasks as (
    select subscriber_id from ops.task where campaign_id = $campaign_id
),

linked as (
    select subscriber_id from ops.task_link where campaign_id = $campaign_id
),

live_tasks as (
    select subscriber_id from ops.task where status in ('open', 'assigned', 'in_progress', 'callback')
),

final as (
    select
        nextval('ops.task_id_seq') as task_id,
        members.campaign_id,
        members.subscriber_id,
        members.city_code,
        members.value_tier,
        round(case members.value_tier
            when 'high' then $weight_high
            when 'mid' then $weight_mid
            else $weight_low
        end * members.risk_score, 6) as priority_score,
        members.scenario_ids,
        'open' as status,
        cast(null as varchar) as team_id,
        cast(null as varchar) as assigned_to,
        cast($due_date as date) as due_date,
        0 as attempts,
        0 as version,
        now() as created_at,
        now() as updated_at
    from members
    where members.subscriber_id not in (select subscriber_id from existing_tasks)
        and members.subscriber_id not in (select subscriber_id from linked)
        and members.subscriber_id not in (select subscriber_id from live_tasks)
)

select * from final
