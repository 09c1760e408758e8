-- grain: one attempt, inside the outcome's transaction; nothing when the integration already reported this call id
insert into ops.dialer_attempt (attempt_id, lease_id, external_id, task_id, campaign_id, city_code, integration,
    agent_username, disposition, contact_id, reported_at)
select nextval('ops.dialer_attempt_id_seq'), $lease_id, $external_id, task.task_id, task.campaign_id, task.city_code,
    $integration, $agent, $disposition, $contact_id, $now
from ops.task as task
where task.task_id = $task_id
  and not exists (
      select 1 from ops.dialer_attempt
      where $external_id is not null and integration = $integration and external_id = $external_id
  )
returning attempt_id
