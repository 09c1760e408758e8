-- grain: at most one row: the newest compaction or baseline, the size the growth trigger compares the file with
select recorded_at as RecordedAt, reason as Reason, bytes_after as BytesAfter
from meta.compaction
order by recorded_at desc
limit 1
