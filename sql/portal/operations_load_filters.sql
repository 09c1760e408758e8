-- grain: one row per extract and status pair present in the load audit (the choices of the history filters)
with load_audit as (
    select * from meta.load_audit
),

final as (
    select distinct extract, status
    from load_audit
)

select * from final
order by extract, status
