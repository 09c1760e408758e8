-- grain: one row per extract and business date: what the newest deliveries of that date brought in.
-- a view, so that it is current even between transform runs.
-- alias: mart_load_summary
-- materialized: view
with

load_audit as (
    select * from meta.load_audit
),

final as (
    select
        extract,
        business_date,
        count(*) as files,
        count(*) filter (where status = 'loaded') as files_loaded,
        count(*) filter (where status not in ('loaded', 'duplicate', 'superseded')) as files_failed,
        max(delivery_seq) as newest_delivery_seq,
        sum(rows_read) as rows_read,
        sum(rows_loaded) filter (where status = 'loaded') as rows_loaded,
        sum(rows_rejected) as rows_rejected,
        max(finished_at) as last_finished_at,
        arg_max(status, load_id) as last_status,
        arg_max(message, load_id) as last_message
    from load_audit
    group by extract, business_date
)

select * from final
