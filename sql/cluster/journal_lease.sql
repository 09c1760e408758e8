-- grain: one journaled lease with the id the dialer was given, unless it is there already
insert into ops.dialer_lease (lease_id, task_id, campaign_id, city_code, integration, agent_username, leased_at, expires_at)
select $lease_id, $task_id, $campaign_id, $city_code, $integration, $agent, $leased_at, $expires_at
where not exists (select 1 from ops.dialer_lease where lease_id = $lease_id)
