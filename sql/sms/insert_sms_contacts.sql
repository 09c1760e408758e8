-- grain: one contact per message the gateway accepted and the outbox marked sent (temp table sms_contact, channel
-- sms): the contact-pressure rule counts it; an agent's SMS instead of a call lands on its task
insert into ops.contact (contact_id, subscriber_id, channel, contact_time, task_id, username, outcome, campaign_id)
select contact_id, subscriber_id, 'sms', $now, task_id, username, 'sent', campaign_id
from sms_contact
