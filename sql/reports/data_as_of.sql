-- grain: one value: the business date of the newest successfully loaded extract file (the reports' data-as-of stamp)
with

load_audit as (
    select * from meta.load_audit
),

final as (
    select max(business_date) as data_as_of
    from load_audit
    where status = 'loaded'
)

select * from final
