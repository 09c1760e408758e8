-- grain: one message per subscriber that is due now (compliance already applied), oldest first: new, deferred and
-- retried messages whose time has come, and messages left in 'sending' by a stopped run (sent again under their
-- key: the gateway answers a key it knows with the same id). one per subscriber per run, so two sends meeting in
-- one run cannot both pass the contact-pressure check. $quiet_province, $override_cities, $quiet_cities: where it is
-- quiet hours now (the province's zone, and the cities with a zone of their own that are quiet).
with

candidates as (
    select *
    from ops.sms_outbox
    where ((status in ('pending', 'deferred', 'retry') and next_attempt_at <= $now)
            or (status = 'sending' and updated_at < $stale_before))
        -- not where it is quiet now (a message enqueued after this run's deferral waits for the next run)
        and not ($quiet_province and not list_contains(string_split($override_cities, ','), city_code)
            or list_contains(string_split($quiet_cities, ','), city_code))
),

subscribers as (
    select subscriber_id, msisdn from dw.dim_subscriber where is_current
),

sends as (
    select send_id, requested_by, audience_kind, audience_ref from ops.sms_send
),

-- an agent's SMS instead of a call names its task: the contact is recorded on the task and its campaign
tasks as (
    select task_id, campaign_id from ops.task
),

final as (
    select
        candidates.message_id,
        candidates.send_id,
        candidates.subscriber_id,
        candidates.idempotency_key,
        candidates.body,
        candidates.status,
        candidates.attempts,
        subscribers.msisdn,
        sends.requested_by,
        case
            when sends.audience_kind = 'call_list' then try_cast(split_part(sends.audience_ref, ':', 1) as bigint)
            when sends.audience_kind = 'task' then tasks.campaign_id
        end as campaign_id,
        tasks.task_id
    from candidates
    inner join subscribers
        on subscribers.subscriber_id = candidates.subscriber_id
    inner join sends
        on sends.send_id = candidates.send_id
    left join tasks
        on sends.audience_kind = 'task' and tasks.task_id = try_cast(sends.audience_ref as bigint)
    qualify row_number() over (
        partition by candidates.subscriber_id order by (candidates.status = 'sending') desc, candidates.message_id) = 1
)

select * from final
order by message_id
limit $batch_size
