-- grain: one row per contact the retention department made with the subscriber (calls and sms), newest first,
-- with the campaign of the task it belonged to (titled in $lang) and the agent's display name. at most 200: an agent
-- reads the recent ones.
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
        coalesce(title.title, campaign.name) as CampaignName,
        agent.display_name as AgentName
    from contacts
    left join ops.task as task
        on task.task_id = contacts.task_id
        and task.subscriber_id = $subscriber_id
    left join ops.campaign as campaign
        on campaign.campaign_id = coalesce(contacts.campaign_id, task.campaign_id)
    left join ops.campaign_title as title
        on title.campaign_id = campaign.campaign_id and title.lang = $lang
    left join ops.agent as agent
        on agent.username = contacts.username
    order by contacts.contact_time desc, contacts.contact_id desc
    limit 200
)

select * from final
