-- grain: schema only. the sign-in throttle's counters, shared by every portal node (in memory with duckdb).
-- one row per throttled key (n:name, a:address, d:device): the failures in the window and the lock
create table if not exists ops.sign_in_counter (
    counter_key     varchar primary key,
    failures        timestamp[] not null default '{}',
    locked_until    timestamp,
    last_failure    timestamp,
    locks           integer not null default 0
);
