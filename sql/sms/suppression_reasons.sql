-- grain: one row per due message (temp table sms_due) that may not be sent now, with the first reason that applies.
-- checked at dispatch, not only at selection: an opt-out or a call made after the send was approved still stops the
-- message. contact pressure is the call lists' rule (sql/tasks/insert_members.sql): contacts by call or SMS in
-- ops.contact since $today minus the window; here a subscriber may have up to $max_contacts - 1 of them. the blacklist
-- is the temp table of blacklist/in_force.sql for sms on $today, filled by the caller.
with

due as (
    select message_id, subscriber_id from sms_due
),

subscribers as (
    select subscriber_id, status, msisdn
    from dw.dim_subscriber
    where is_current
),

blacklisted as (
    select subscriber_id, opted_out from blacklist_in_force
),

recent_contacts as (
    select subscriber_id, count(*) as contacts
    from ops.contact
    where channel in ('call', 'sms')
        and contact_time >= $today - to_days(cast($contact_window_days as integer))
    group by subscriber_id
),

final as (
    select
        due.message_id,
        case
            when subscribers.subscriber_id is null or subscribers.status = 'churned' then 'churned'
            when blacklisted.opted_out then 'opt_out'
            when blacklisted.subscriber_id is not null then 'blacklist'
            when subscribers.msisdn is null or subscribers.msisdn = '' then 'no_number'
            when coalesce(recent_contacts.contacts, 0) >= $max_contacts then 'frequency_cap'
        end as reason
    from due
    left join subscribers
        on subscribers.subscriber_id = due.subscriber_id
    left join blacklisted
        on blacklisted.subscriber_id = due.subscriber_id
    left join recent_contacts
        on recent_contacts.subscriber_id = due.subscriber_id
)

select * from final
where reason is not null
