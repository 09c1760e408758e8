-- grain: one row per message claimed for sending by this run: only those still in the state and attempt count the run
-- read (temporary table sms_claim), so a second dispatcher or a re-run never claims the same message twice
update ops.sms_outbox
set status = 'sending',
    attempts = ops.sms_outbox.attempts + 1,
    updated_at = $now
from sms_claim
where ops.sms_outbox.message_id = sms_claim.message_id
    and ops.sms_outbox.status = sms_claim.status
    and ops.sms_outbox.attempts = sms_claim.attempts
returning ops.sms_outbox.message_id
