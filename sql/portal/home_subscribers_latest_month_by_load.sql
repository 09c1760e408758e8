-- grain: one row: distinct subscribers in the newest month of the subscription snapshot, dated through the load audit (for a staging table without business_date)
with subscription as (
    select subscriber_id, load_id from stg.subscription
),

load_audit as (
    select load_id, business_date from meta.load_audit
    where extract = 'subscription' and status = 'loaded' and business_date is not null
),

dated as (
    select subscription.subscriber_id, date_trunc('month', load_audit.business_date) as month_start
    from subscription
    inner join load_audit using (load_id)
),

final as (
    select
        max(month_start) as month_start,
        count(distinct subscriber_id) filter (where month_start = (select max(month_start) from dated)) as subscribers
    from dated
)

select * from final
