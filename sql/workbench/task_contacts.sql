-- grain: one row per contact with the task's subscriber (calls, and SMS once the gateway accepted them), from every
-- campaign and agent, newest first: whoever picks up the subscriber next sees what was said before. names in $lang.
with

task as (
    select subscriber_id from ops.task where task_id = $task_id
),

contact as (
    select * from ops.contact where subscriber_id = (select subscriber_id from task)
),

reason as (
    select reason_id, case $lang when 'de' then name_de when 'zh' then name_zh else name_en end as reason_name
    from ops.churn_reason
),

contact_task as (
    select task_id, campaign_id from ops.task where subscriber_id = (select subscriber_id from task)
),

title as (
    select campaign_id, title from ops.campaign_title where lang = $lang
),

agent as (
    select username, display_name from ops.agent
),

final as (
    select
        contact.contact_id,
        contact.contact_time,
        contact.channel,
        contact.task_id,
        contact.username,
        agent.display_name as agent_name,
        title.title as campaign_name,
        contact.outcome,
        contact.result,
        contact.churn_reason_id,
        reason.reason_name as churn_reason_name,
        contact.offer_id,
        contact.notes
    from contact
    left join reason
        on reason.reason_id = contact.churn_reason_id
    left join contact_task
        on contact_task.task_id = contact.task_id
    left join title
        on title.campaign_id = coalesce(contact.campaign_id, contact_task.campaign_id)
    left join agent
        on agent.username = contact.username
)

select * from final
order by contact_time desc, contact_id desc
limit 200
