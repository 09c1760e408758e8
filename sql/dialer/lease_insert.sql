-- grain: one lease: the task is the dialer's until it reports or the lease expires
insert into ops.dialer_lease (lease_id, task_id, campaign_id, city_code, integration, agent_username, leased_at, expires_at)
values (nextval('ops.dialer_lease_id_seq'), $task_id, $campaign_id, $city_code, $integration, $agent, $now, $expires_at)
returning lease_id
