-- grain: one update per message due during quiet hours: it waits until they end (deferred, never dropped)
update ops.sms_outbox
set status = 'deferred',
    next_attempt_at = $quiet_end,
    updated_at = $now
where status in ('pending', 'deferred', 'retry')
    and next_attempt_at <= $now
