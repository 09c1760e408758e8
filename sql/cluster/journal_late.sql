-- grain: one row per journal row another node wrote after the id this writer has read through: a former writer's rows
-- the operational database did not take while it was the writer, written once it answered again (AgentJournal.ReplayLate)
select journal_id, kind, task_id, task_version, username, is_supervisor, made_at, payload_json
from ops.agent_journal
where node <> $node and journal_id > $after
order by journal_id
