-- grain: one new outbox message per rendered recipient of a send whose key is not in the outbox yet (pending, or
-- suppressed as missing_value when the template names a field the recipient has no value for)
insert into ops.sms_outbox (message_id, send_id, subscriber_id, city_code, idempotency_key, body, encoding, segments,
    status, suppressed_reason, attempts, next_attempt_at, last_error, gateway_message_id, contact_id, created_at,
    updated_at, sent_at, delivered_at)

with

rendered as (
    select * from sms_new_message
),

existing as (
    select idempotency_key from ops.sms_outbox where send_id = $send_id
),

final as (
    select
        nextval('ops.sms_message_id_seq') as message_id,
        $send_id as send_id,
        rendered.subscriber_id,
        rendered.city_code,
        rendered.idempotency_key,
        rendered.body,
        rendered.encoding,
        rendered.segments,
        rendered.status,
        rendered.suppressed_reason,
        0 as attempts,
        $now as next_attempt_at,
        cast(null as varchar) as last_error,
        cast(null as varchar) as gateway_message_id,
        cast(null as bigint) as contact_id,
        $now as created_at,
        $now as updated_at,
        cast(null as timestamp) as sent_at,
        cast(null as timestamp) as delivered_at
    from rendered
    where rendered.idempotency_key not in (select idempotency_key from existing)
)

select * from final
