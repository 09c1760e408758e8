-- grain: one new inbound call; returns its id
insert into ops.inbound_call (call_id, integration, external_id, agent_username, caller_number, received_at, subscriber_id, matches)
values (nextval('ops.inbound_call_id_seq'), $integration, $external_id, $agent, $number, $now, $subscriber_id, $matches)
returning call_id
