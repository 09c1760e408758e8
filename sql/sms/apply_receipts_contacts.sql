-- grain: one update per SMS contact whose message got a final receipt (temp table sms_contact_outcome from
-- sms/receipt_contacts.sql): the contact's outcome follows it
update ops.contact
set outcome = sms_contact_outcome.status
from sms_contact_outcome
where ops.contact.contact_id = sms_contact_outcome.contact_id
    and ops.contact.outcome = 'sent'
