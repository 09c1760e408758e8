-- grain: one row per delivered file the loader saw, newest first; optional filters on extract and status; one page
with load_audit as (
    select * from meta.load_audit
),

filtered as (
    select
        load_id,
        extract,
        file_name,
        business_date,
        status,
        rows_read,
        rows_loaded,
        rows_rejected,
        duration_ms,
        message,
        started_at
    from load_audit
    where ($extract is null or extract = $extract)
      and ($status is null or status = $status)
),

final as (
    select
        *,
        count(*) over () as total_count
    from filtered
)

select * from final
order by load_id desc
limit $page_size offset $skip
