-- grain: one update per message the gateway refused: retried after the backoff, or failed for good
update ops.sms_outbox
set status = sms_refused.status,
    last_error = sms_refused.last_error,
    next_attempt_at = sms_refused.next_attempt_at,
    updated_at = $now
from sms_refused
where ops.sms_outbox.message_id = sms_refused.message_id
    and ops.sms_outbox.status = 'sending'
