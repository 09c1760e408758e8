-- grain: one row per journal row this node's file owes the operational database (ddl/101_ops_agent_journal_owed.sql),
-- in the order they were made: the owed id, then the journal's columns
select owed_id, node, kind, task_id, task_version, username, is_supervisor, made_at, made_at_utc, payload_json
from ops.agent_journal_owed
order by owed_id
