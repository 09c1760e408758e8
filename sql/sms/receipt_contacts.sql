-- grain: one row per SMS contact whose message got a final receipt in this batch (temp table sms_receipt): the
-- outcome its contact row takes (sms/apply_receipts_contacts.sql, beside the warehouse)
select contact_id, status
from ops.sms_outbox
where gateway_message_id in (select message_id from sms_receipt)
    and status in ('delivered', 'failed')
    and contact_id is not null
