-- grain: schema only. one row per claim or outcome an agent made (or a dialer's take of a task for an agent, and its
-- undoing) on the writer node of a cluster, written right after
-- it was committed to the writer's warehouse file, where tasks and outcomes still live. a node that takes over as the
-- writer starts from the last published build and applies the rows written since (AgentJournal.Replay): each is
-- conditional on the task version it started from, so one already in the build, or overtaken, changes nothing.
-- postgresql only: with one process there is no other node to take over
create table if not exists ops.agent_journal (
    journal_id      bigserial primary key,
    node            varchar not null,      -- the writer that made it (Cluster:Node)
    kind            varchar not null,      -- claim | take | untake | outcome
    task_id         bigint not null,
    task_version    integer not null,      -- the task's version the claim or outcome started from
    username        varchar not null,
    is_supervisor   boolean not null,
    made_at         timestamp not null,    -- as stored on the task and contact (the province's clock)
    made_at_utc     timestamp not null,    -- to compare with a build's publication time
    payload_json    varchar                -- outcome: as the agent entered it; untake: the assignment restored
);
create index if not exists agent_journal_made_at_utc on ops.agent_journal (made_at_utc);
