-- grain: one update per due outbox message the checks stopped (temp table sms_suppress: message_id, reason, from
-- sms/suppression_reasons.sql), while it is still waiting
update ops.sms_outbox
set status = 'suppressed',
    suppressed_reason = sms_suppress.reason,
    updated_at = $now
from sms_suppress
where ops.sms_outbox.message_id = sms_suppress.message_id
    and ops.sms_outbox.status in ('pending', 'deferred', 'retry')
