-- grain: one row per row of the agents' journal (several nodes: ops.agent_journal in PostgreSQL) that the operational
-- database did not take when the change was committed here, and every later row while any is owed (so they keep their
-- order). Written there, oldest first, by the writer's next look (Core/Workbench/AgentJournal.cs); a node that takes
-- over from a build drops those made before it was published (the build holds them). Empty with one process.
create table if not exists ops.agent_journal_owed (
    owed_id         bigint not null,    -- the order they were made in
    node            varchar not null,
    kind            varchar not null,
    task_id         bigint,
    task_version    integer,
    username        varchar not null,
    is_supervisor   boolean not null,
    made_at         timestamp not null,
    made_at_utc     timestamp not null,
    payload_json    varchar
);
