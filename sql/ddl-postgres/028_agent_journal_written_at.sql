-- grain: schema only. when each journal row reached the operational database (its own clock, UTC): a row a former
-- writer owed while PostgreSQL was out of reach is written after the build the next writer takes over from, though it
-- was made before; the catch-up (cluster/journal_since.sql) applies the rows made or written since that build
alter table ops.agent_journal add column if not exists written_at_utc timestamp not null default (now() at time zone 'utc');
create index if not exists agent_journal_written_at_utc on ops.agent_journal (written_at_utc);
