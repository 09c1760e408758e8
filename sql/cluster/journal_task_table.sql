-- grain: one row per journaled task state of a supervisor's change to apply (AgentJournal.Replay), filled by the caller
create or replace temp table journal_task (
    task_id      bigint,
    task_version integer,   -- the version the change started from
    status       varchar,
    assigned_to  varchar,
    team_id      varchar,
    due_date     date,
    priority     integer,
    callback_at  timestamp,
    closed_at    timestamp,
    version      integer,
    updated_at   timestamp
)
