-- grain: one row: what the loader has put into the warehouse (files, rows, months and the newest business date)
with load_audit as (
    select * from meta.load_audit
    where status = 'loaded'
),

final as (
    select
        count(*) as files_loaded,
        cast(coalesce(sum(rows_loaded), 0) as bigint) as rows_loaded,
        count(distinct date_trunc('month', business_date)) as months_loaded,
        max(business_date) as latest_business_date
    from load_audit
)

select * from final
