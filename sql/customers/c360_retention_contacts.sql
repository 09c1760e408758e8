-- grain: one row per contact the retention department made with the subscriber (calls and sms), newest first,
-- with the campaign of the task it belonged to. at most 200: an agent reads the recent ones.
with

contacts as (
    select * from ops.contact where subscriber_id = $subscriber_id
),

final as (
    select
        contacts.contact_id as ContactId,
        contacts.channel as Channel,
        contacts.contact_time as ContactAt,
        contacts.task_id as TaskId,
        contacts.username as Username,
        contacts.outcome as Outcome,
        campaign.name as CampaignName
    from contacts
    left join ops.task as task
        on task.task_id = contacts.task_id
        and task.subscriber_id = $subscriber_id
    left join ops.campaign as campaign
        on campaign.campaign_id = task.campaign_id
    order by contacts.contact_time desc, contacts.contact_id desc
    limit 200
)

select * from final
