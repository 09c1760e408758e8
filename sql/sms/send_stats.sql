-- grain: one row per send with messages in the reader's scope: counts by state, segments sent, suppressed by reason
with

messages as (
    select * from ops.sms_outbox
    where ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

sends as (
    select * from ops.sms_send
),

reasons as (
    select send_id, string_agg(suppressed_reason || '=' || n, ', ' order by suppressed_reason) as suppressed_by_reason
    from (
        select send_id, suppressed_reason, count(*) as n
        from messages
        where status = 'suppressed'
        group by send_id, suppressed_reason
    ) as by_reason
    group by send_id
),

counts as (
    select
        send_id,
        count(*) as messages,
        count(*) filter (where status in ('pending', 'deferred', 'retry', 'sending')) as waiting,
        count(*) filter (where status in ('sent', 'delivered', 'failed') and gateway_message_id is not null) as sent,
        count(*) filter (where status = 'delivered') as delivered,
        count(*) filter (where status = 'failed') as failed,
        count(*) filter (where status = 'suppressed') as suppressed,
        coalesce(sum(segments) filter (where gateway_message_id is not null), 0) as segments
    from messages
    group by send_id
),

final as (
    select
        sends.send_id,
        sends.template_id,
        sends.language,
        sends.audience_kind,
        sends.audience_ref,
        sends.status,
        sends.requested_by,
        sends.requested_at,
        sends.approved_by,
        cast(coalesce(counts.messages, 0) as integer) as messages,
        cast(coalesce(counts.waiting, 0) as integer) as waiting,
        cast(coalesce(counts.sent, 0) as integer) as sent,
        cast(coalesce(counts.delivered, 0) as integer) as delivered,
        cast(coalesce(counts.failed, 0) as integer) as failed,
        cast(coalesce(counts.suppressed, 0) as integer) as suppressed,
        cast(coalesce(counts.segments, 0) as integer) as segments,
        reasons.suppressed_by_reason
    from sends
    left join counts
        on counts.send_id = sends.send_id
    left join reasons
        on reasons.send_id = sends.send_id
    -- a send without messages yet (awaiting approval) shows when it was drawn within the reader's scope
    where counts.send_id is not null
        or $scope_all
        or (not sends.scope_all and list_has_all(string_split($scope_cities, ','), string_split(sends.scope_cities, ',')))
)

select * from final
order by send_id desc
limit $limit
