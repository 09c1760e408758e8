-- grain: the inbound call the agent saved an outcome for: linked to the task and its contact row (once), and the contact
-- marked as an inbound call. only the agent's own call, for the task's subscriber.
update ops.inbound_call
set task_id = $task_id, contact_id = $contact_id
where call_id = $call_id and agent_username = $agent and subscriber_id = $subscriber_id and contact_id is null
