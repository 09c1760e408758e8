-- grain: one row per claim or outcome journaled since a moment (UTC), in the order they were made
select journal_id, kind, task_id, task_version, username, is_supervisor, made_at, payload_json
from ops.agent_journal
where made_at_utc >= $since_utc
order by journal_id
