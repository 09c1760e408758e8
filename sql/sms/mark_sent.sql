-- grain: one message the gateway accepted, only while this run holds it in sending
update ops.sms_outbox
set status = 'sent', gateway_message_id = $gateway_id, contact_id = $contact_id, sent_at = $now,
    updated_at = $now, last_error = null
where message_id = $message_id and status = 'sending'
