-- grain: one claim or outcome an agent just committed on this node (see ddl-postgres/022_agent_journal.sql)
insert into ops.agent_journal (node, kind, task_id, task_version, username, is_supervisor, made_at, made_at_utc, payload_json)
values ($node, $kind, $task_id, $task_version, $username, $is_supervisor, $made_at, $made_at_utc, $payload_json)
