-- grain: one update per message the gateway accepted (temp table sms_accepted), only while this run holds it in
-- sending; returns the messages marked, which get their contact
update ops.sms_outbox
set status = 'sent',
    gateway_message_id = sms_accepted.gateway_message_id,
    contact_id = sms_accepted.contact_id,
    sent_at = $now,
    updated_at = $now,
    last_error = null
from sms_accepted
where ops.sms_outbox.message_id = sms_accepted.message_id
    and ops.sms_outbox.status = 'sending'
returning ops.sms_outbox.message_id
