-- grain: one row: totals over every file whose rows count (loaded or since superseded)
select count(*) as Files,
       coalesce(sum(rows_read), 0) as "Read",
       coalesce(sum(rows_loaded), 0) as Loaded,
       coalesce(sum(rows_rejected), 0) as Rejected
from meta.load_audit
where status in ('loaded', 'superseded', 'rejected')
