-- grain: one row per contact recorded on the task (calls, and SMS once the gateway accepted them), newest first
with

contact as (
    select * from ops.contact where task_id = $task_id
),

reason as (
    select reason_id, case $lang when 'de' then name_de when 'zh' then name_zh else name_en end as reason_name
    from ops.churn_reason
),

final as (
    select
        contact.contact_id,
        contact.contact_time,
        contact.username,
        contact.outcome,
        contact.result,
        contact.churn_reason_id,
        reason.reason_name as churn_reason_name,
        contact.offer_id,
        contact.notes
    from contact
    left join reason
        on reason.reason_id = contact.churn_reason_id
)

select * from final
order by contact_time desc, contact_id desc
