-- grain: one message claimed for sending, only from the state and attempt count the run read
update ops.sms_outbox set status = 'sending', attempts = attempts + 1, updated_at = $now
where message_id = $message_id and status = $status and attempts = $attempts
