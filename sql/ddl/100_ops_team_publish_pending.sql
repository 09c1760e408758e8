-- grain: one row per team or agent record changed on this node whose publication to the operational database
-- (PostgreSQL, several nodes) failed. The next publication or restore publishes it first, so a restore never puts an
-- older row from there over the newer one here (Core/Tasks/TeamRecords.cs). Empty with one process.
create table if not exists ops.team_publish_pending (
    kind            varchar not null,   -- team | agent
    record_key      varchar not null,   -- team_id | username
    failed_at       timestamp not null
);
