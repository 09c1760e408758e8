-- grain: one row per member of the snapshot base (拍照用户): every subscriber not churned in the base snapshot
-- (the month end before the reference date, see dw.as_of). membership never changes after the base date;
-- the base's retention (保有率) in a later month = members still not churned in that month's snapshot / base size.
-- city and value tier are frozen at the base date so that moves between cities do not shift the base; so are the
-- sales channel and activation date that the subscriber-month cube shows for members in months without a snapshot.
-- refresh: full
-- input: stg.core_subscription
-- input: dw.as_of (base_snapshot_date, base_date) all
-- order: subscriber_id
with

as_of as (
    select base_date, base_snapshot_date from dw.as_of
),

base_snapshot as (
    select subscription.*
    from stg.core_subscription as subscription
    inner join as_of
        on subscription._business_date = as_of.base_snapshot_date
    where subscription.status <> 'churned'
),

final as (
    select
        base_snapshot.subscriber_id,
        as_of.base_date,
        base_snapshot.city_code,
        base_snapshot.district_code,
        base_snapshot.value_tier,
        base_snapshot.star_level,
        base_snapshot.payment_type,
        base_snapshot.plan_code,
        base_snapshot.channel_code,
        base_snapshot.activation_date
    from base_snapshot
    cross join as_of
)

select * from final
