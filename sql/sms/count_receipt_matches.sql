-- grain: one row: the sent messages a batch of final receipts applies to
select count(*) from ops.sms_outbox
where status = 'sent' and gateway_message_id in (select message_id from sms_receipt where status in ('delivered', 'failed'))
