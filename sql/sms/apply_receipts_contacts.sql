-- grain: one update per SMS contact whose message got a final receipt: the contact's outcome follows it
update ops.contact
set outcome = outbox.status
from (
    select contact_id, status
    from ops.sms_outbox
    where gateway_message_id in (select message_id from sms_receipt)
        and status in ('delivered', 'failed')
        and contact_id is not null
) as outbox
where ops.contact.contact_id = outbox.contact_id
    and ops.contact.outcome = 'sent'
