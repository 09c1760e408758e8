-- grain: one inbound call by id, only for the agent it was announced to
select call_id, agent_username, caller_number, received_at, subscriber_id, matches, task_id
from ops.inbound_call
where call_id = $call_id and agent_username = $agent
