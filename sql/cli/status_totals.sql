-- grain: one row: totals over the current loads only (files whose rows are in staging now; superseded, held and refused files are not counted)
select count(*) as Files,
       coalesce(sum(rows_read), 0)::bigint as "Read",
       coalesce(sum(rows_loaded), 0)::bigint as Loaded,
       coalesce(sum(rows_rejected), 0)::bigint as Rejected,
       (select count(*) from meta.load_audit where status = 'superseded') as Superseded,
       (select count(*) from meta.load_audit where status in ('held', 'rejected', 'failed', 'conflict', 'unrecognised', 'stale')) as NeedAttention
from meta.load_audit
where status = 'loaded'
