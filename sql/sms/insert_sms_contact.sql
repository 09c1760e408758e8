-- grain: one contact per message the gateway accepted (channel sms): contact pressure counts it
insert into ops.contact (contact_id, subscriber_id, channel, contact_time, task_id, username, outcome, campaign_id)
values (nextval('ops.contact_id_seq'), $subscriber_id, 'sms', $now, null, $username, 'sent', $campaign_id)
returning contact_id
