-- grain: one row per delivered file held for review, oldest first (the status listing's shape)
select load_id as LoadId, extract as Extract, file_name as FileName, business_date as BusinessDate, status as Status,
       rows_read as RowsRead, rows_loaded as RowsLoaded, rows_rejected as RowsRejected,
       coalesce(duration_ms, 0) as DurationMs, message as Message
from meta.load_audit
where status = 'held'
order by load_id
