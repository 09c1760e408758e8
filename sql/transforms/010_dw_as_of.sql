-- grain: one row. the dates every other transform is relative to.
-- as_of_date is the newest subscription snapshot (month end): facts "as of now" (agreement days to end, roaming
-- now, forwarding state) are measured there, so that the monthly snapshot and the current state agree.
-- the snapshot base (拍照用户) is fixed on january 1 of the latest year with data, i.e. it is the december
-- month-end snapshot of the year before; when that snapshot was never loaded, the first loaded month stands in.
-- refresh: full
-- input: stg.core_subscription
-- input: stg.usage_day
with

snapshots as (
    select distinct _business_date as business_date
    from stg.core_subscription
),

bounds as (
    select
        max(business_date) as as_of_date,
        min(business_date) as first_snapshot_date,
        make_date(year(max(business_date)), 1, 1) - interval 1 day as december_snapshot_date
    from snapshots
),

usage_day_bounds as (
    select min(usage_date) as usage_day_from, max(usage_date) as usage_day_to
    from stg.usage_day
),

final as (
    select
        bounds.as_of_date,
        cast(date_trunc('month', bounds.as_of_date) as date) as as_of_month,
        bounds.first_snapshot_date,
        cast(date_trunc('month', bounds.first_snapshot_date) as date) as first_month,
        -- the snapshot taken at the base: its status is the status "on the reference date"
        coalesce(december.business_date, bounds.first_snapshot_date) as base_snapshot_date,
        -- the reference date itself: the day after the base snapshot (january 1 in the normal case)
        cast(coalesce(december.business_date, bounds.first_snapshot_date) + interval 1 day as date) as base_date,
        december.business_date is null as base_is_fallback,
        -- a single snapshot month (a churn dataset: one row per customer, churners included) is its own churn-rate base
        date_trunc('month', bounds.first_snapshot_date) = date_trunc('month', bounds.as_of_date) as is_single_snapshot,
        -- daily usage runs ahead of the monthly snapshot; "days since last usage" is measured at its newest day
        usage_day_bounds.usage_day_from,
        usage_day_bounds.usage_day_to
    from bounds
    left join snapshots as december
        on december.business_date = cast(bounds.december_snapshot_date as date)
    cross join usage_day_bounds
)

select * from final
