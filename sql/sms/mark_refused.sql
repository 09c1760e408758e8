-- grain: one message the gateway refused: retried after the backoff, or failed for good
update ops.sms_outbox
set status = $status, last_error = $error, next_attempt_at = $next, updated_at = $now
where message_id = $message_id and status = 'sending'
