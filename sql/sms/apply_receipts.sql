-- grain: one update per sent message with a final receipt (temporary table sms_receipt), and its contact row
update ops.sms_outbox
set status = receipts.status,
    delivered_at = case when receipts.status = 'delivered' then $now end,
    updated_at = $now
from (select * from sms_receipt where status in ('delivered', 'failed')) as receipts
where ops.sms_outbox.gateway_message_id = receipts.message_id
    and ops.sms_outbox.status = 'sent'
