-- grain: one row when this instance holds the writer lease after the call (renewed or taken over), none when another
-- live instance holds it. clock_timestamp(): the database's clock is the only one every node agrees on; its times are
-- kept in UTC (at time zone 'utc') so that no comparison depends on a session's zone (a node of an earlier version,
-- a person's psql)
insert into ops.writer_lease as lease (lease_name, holder, instance, term, acquired_at, renewed_at, expires_at)
values ('writer', $holder, $instance, 1, (clock_timestamp() at time zone 'utc'), (clock_timestamp() at time zone 'utc'),
        (clock_timestamp() at time zone 'utc') + make_interval(secs => $seconds))
on conflict (lease_name) do update
set holder      = excluded.holder,
    instance    = excluded.instance,
    term        = case when lease.instance = excluded.instance then lease.term else lease.term + 1 end,
    acquired_at = case when lease.instance = excluded.instance then lease.acquired_at else (clock_timestamp() at time zone 'utc') end,
    renewed_at  = (clock_timestamp() at time zone 'utc'),
    expires_at  = (clock_timestamp() at time zone 'utc') + make_interval(secs => $seconds)
where lease.instance = excluded.instance
   or lease.expires_at < (clock_timestamp() at time zone 'utc')
returning term
