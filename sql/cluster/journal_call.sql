-- grain: one journaled inbound call with the id its agent's portal was told, as announced (the outcome saved for it
-- links it again when replayed), unless it is there already
insert into ops.inbound_call (call_id, integration, external_id, agent_username, caller_number, received_at, subscriber_id, matches)
select $call_id, $integration, $external_id, $agent, $number, $received_at, $subscriber_id, $matches
where not exists (select 1 from ops.inbound_call where call_id = $call_id)
