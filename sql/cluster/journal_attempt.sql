-- grain: one journaled attempt with the id the dialer was given, linked to the contact row its replayed outcome wrote
-- on this node (the agent's contact on the task at the outcome's time); nothing while that contact is not there yet, or
-- when the attempt is there already
insert into ops.dialer_attempt (attempt_id, lease_id, external_id, task_id, campaign_id, city_code, integration,
    agent_username, disposition, contact_id, reported_at)
select $attempt_id, $lease_id, $external_id, $task_id, $campaign_id, $city_code, $integration, $agent, $disposition,
    min(contact.contact_id), $reported_at
from ops.contact as contact
where contact.task_id = $task_id
  and contact.username = $agent
  and contact.contact_time = $contact_at
  and not exists (select 1 from ops.dialer_attempt where attempt_id = $attempt_id)
having count(*) > 0
