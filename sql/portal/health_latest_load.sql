-- grain: one row at most: the file the loader finished most recently, whatever its status
with load_audit as (
    select * from meta.load_audit
    where finished_at is not null
),

final as (
    select load_id, extract, file_name, business_date, status, finished_at
    from load_audit
    order by finished_at desc, load_id desc
    limit 1
)

select * from final
