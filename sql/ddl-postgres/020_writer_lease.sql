-- grain: schema only. which portal node is the writer: it runs the pipeline and the scheduled jobs, owns its
-- warehouse file and publishes the snapshots the other nodes read. one row per lease name ('writer'); the holder
-- renews it every few seconds, another node takes it over once expires_at has passed (the database's clock decides).
-- postgresql only: with duckdb one process is the writer by construction
create table if not exists ops.writer_lease (
    lease_name      varchar primary key,
    holder          varchar not null,      -- the node's name (Cluster:Node)
    instance        varchar not null,      -- one process of that node: a restarted node is a new holder
    term            bigint not null,       -- +1 at every change of instance, so a holder can tell it was replaced
    acquired_at     timestamp not null,
    renewed_at      timestamp not null,
    expires_at      timestamp not null
);
