-- grain: at most one row: the newest compaction or baseline (the growth trigger compares the file with the newest
-- baseline; a compaction after it means the next check takes a new one)
select reason as Reason, bytes_after as BytesAfter, detail as Detail
from meta.compaction
order by compaction_id desc
limit 1
