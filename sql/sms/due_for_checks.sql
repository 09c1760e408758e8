-- grain: one row per outbox message due now that the compliance checks look at (sms/suppression_reasons.sql reads
-- them as the temp table sms_due beside the warehouse)
select message_id, subscriber_id
from ops.sms_outbox
where status in ('pending', 'deferred', 'retry')
    and next_attempt_at <= $now
