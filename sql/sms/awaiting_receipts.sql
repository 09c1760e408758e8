-- grain: one row per sent message still waiting for its delivery receipt, oldest first
select gateway_message_id from ops.sms_outbox
where status = 'sent' and gateway_message_id is not null
order by sent_at
limit $batch_size
