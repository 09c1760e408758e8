-- the zone the audit log is stamped in: the province's (Region:TimeZone) since this table exists. One row, written
-- when a store first opens with it; an audit log written before on the server's clock was moved to the province's
-- then (shifted_from: the server's zone, null when it was the province's). See Core/Audit/AuditClock.cs.
create table if not exists ops.stamp_zone (
    singleton    boolean primary key default true check (singleton),
    zone         varchar not null,
    adopted_at   timestamp not null,
    shifted_from varchar,
    rows_shifted bigint not null
);
