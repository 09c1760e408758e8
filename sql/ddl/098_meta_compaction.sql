-- the file's size history for the compaction triggers (docs/warehouse.md, "Memory and the file"): one row per
-- compaction, written into the compacted file after its swap, and a baseline at the first check after a compaction
-- (or at the first check of a warehouse never compacted). The growth trigger compares the file with the newest baseline.
-- rows are ordered by their sequence number, not their time: a clock set back must not make an old baseline the newest
create sequence if not exists meta.compaction_seq;
create table if not exists meta.compaction (
    compaction_id  bigint not null default nextval('meta.compaction_seq'),
    recorded_at    timestamp not null,
    reason         varchar not null,           -- baseline | free_share | growth | on_demand
    bytes_before   bigint not null,            -- the file and its write-ahead log before the copy
    bytes_after    bigint not null,            -- the compacted file (a baseline: the file as it was measured)
    detail         varchar not null            -- why, as the pipeline's summary said it; a baseline: when it was taken
);
