-- grain: one row per inbound message: what it meant, never its text
insert into ops.sms_inbound (received_at, subscriber_id, keyword, gateway_message_id)
values ($now, $subscriber_id, $keyword, $gateway_message_id)
