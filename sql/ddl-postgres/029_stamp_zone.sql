-- the zone the audit log is stamped in (sql/ddl/103_ops_stamp_zone.sql of the duckdb warehouse)
create table if not exists ops.stamp_zone (
    singleton    boolean primary key default true check (singleton),
    zone         varchar not null,
    adopted_at   timestamp not null,
    shifted_from varchar,
    rows_shifted bigint not null
);
