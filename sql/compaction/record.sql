-- grain: one row per compaction (written into the compacted file after its swap) or baseline
insert into meta.compaction (recorded_at, reason, bytes_before, bytes_after, detail)
values (now(), $reason, $bytes_before, $bytes_after, $detail)
