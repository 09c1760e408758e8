-- grain: one row per claim, outcome, dialer take or untake, supervisor's change of a task or campaign, dialer handover,
-- lease or attempt, inbound call, or row of a campaign made in the portal journaled since a moment (UTC), in the order
-- they were written: made since, or written since (a row a former writer owed while the database was out of reach,
-- made before the build and written after it, is in no build)
select journal_id, kind, task_id, task_version, username, is_supervisor, made_at, payload_json
from ops.agent_journal
where made_at_utc >= $since_utc
   or written_at_utc >= $since_utc
order by journal_id
