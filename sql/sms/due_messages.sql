-- grain: one message per subscriber that is due now (compliance already applied), oldest first: new, deferred and
-- retried messages whose time has come, and messages left in 'sending' by a stopped run (sent again under their
-- key: the gateway answers a key it knows with the same id). one per subscriber per run, so two sends meeting in
-- one run cannot both pass the contact-pressure check. $quiet_province, $override_cities, $quiet_cities: where it is
-- quiet hours now (the province's zone, and the cities with a zone of their own that are quiet). the number and,
-- for an agent's SMS instead of a call, the task's campaign are looked up in the warehouse by the caller.
with

candidates as (
    select
        *,
        row_number() over (partition by subscriber_id order by (status = 'sending') desc, message_id) as per_subscriber
    from ops.sms_outbox
    where ((status in ('pending', 'deferred', 'retry') and next_attempt_at <= $now)
            or (status = 'sending' and updated_at < $stale_before))
        -- not where it is quiet now (a message enqueued after this run's deferral waits for the next run)
        and not ($quiet_province and not list_contains(string_split($override_cities, ','), city_code)
            or list_contains(string_split($quiet_cities, ','), city_code))
),

sends as (
    select send_id, requested_by, audience_kind, audience_ref from ops.sms_send
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
        sends.requested_by,
        sends.audience_kind,
        sends.audience_ref
    from candidates
    inner join sends
        on sends.send_id = candidates.send_id
    where candidates.per_subscriber = 1
)

select * from final
order by message_id
limit $batch_size
