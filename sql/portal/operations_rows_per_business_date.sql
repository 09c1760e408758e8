-- grain: one row per business date (the newest 90): rows loaded by the files of that date that stand loaded
with load_audit as (
    select * from meta.load_audit
    where status = 'loaded'
      and business_date is not null
),

per_date as (
    select
        business_date,
        cast(sum(rows_loaded) as bigint) as rows_loaded,
        count(*) as files
    from load_audit
    group by business_date
),

final as (
    select * from per_date
    order by business_date desc
    limit 90
)

select * from final
order by business_date
