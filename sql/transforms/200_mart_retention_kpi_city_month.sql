-- grain: one row per city and month, plus one province row per month with city_code 'ALL'.
-- definitions (docs/warehouse.md):
--   churn rate      = churned in the month / active at the previous month end (same city); with a single snapshot
--                     month (a churn dataset) churned / subscribers in it, the rate such datasets publish
--   net adds        = new activations − churned in the month
--   retention (保有率) = snapshot-base members not churned in the month / base size; members are counted in
--                     their base-date city, and only for months after the base date
--   arpu            = revenue (bill totals of the month) / active subscribers at month end
-- refreshed by month: a month's row reads that month's facts and the month before (the churn-rate denominator).
-- alias: mart_retention_kpi_city_month
-- refresh: partition month
-- input: dw.fct_subscriber_month window 0 1
-- input: dw.snapshot_base (subscriber_id, city_code) all
-- input: dw.as_of (base_date, is_single_snapshot) all
-- input: dw.dim_region all
-- order: month, city_code
with

subscriber_month as (
    select * from dw.fct_subscriber_month
    {% if is_incremental() %}
    where month in (select month from refresh_partition union select cast(month - interval 1 month as date) from refresh_partition)
    {% endif %}
),

snapshot_base as (
    select * from dw.snapshot_base
),

as_of as (
    select base_date, cast(date_trunc('month', base_date) as date) as first_retention_month, is_single_snapshot from dw.as_of
),

region as (
    select * from dw.dim_region
),

city_month as (
    select
        month,
        coalesce(city_code, 'ALL') as city_code,
        count(*) as subscribers,
        count(*) filter (where is_active) as active_subscribers,
        count(*) filter (where churned_in_month) as churned,
        count(*) filter (where is_new) as new_activations,
        coalesce(sum(bill_amount), 0) as revenue
    from subscriber_month
    group by grouping sets ((month, city_code), (month))
),

base_size as (
    select coalesce(city_code, 'ALL') as city_code, count(*) as base_size
    from snapshot_base
    group by grouping sets ((city_code), ())
),

base_retained as (
    select
        subscriber_month.month,
        coalesce(snapshot_base.city_code, 'ALL') as city_code,
        count(*) filter (where subscriber_month.is_active) as base_retained
    from subscriber_month
    inner join snapshot_base
        on snapshot_base.subscriber_id = subscriber_month.subscriber_id
    cross join as_of
    where subscriber_month.month >= as_of.first_retention_month
    group by grouping sets ((subscriber_month.month, snapshot_base.city_code), (subscriber_month.month))
),

with_previous as (
    select
        city_month.*,
        previous.active_subscribers as active_previous_month
    from city_month
    left join city_month as previous
        on previous.city_code = city_month.city_code
        and previous.month = city_month.month - interval 1 month
),

final as (
    select
        with_previous.month,
        strftime(with_previous.month, '%Y-%m') as year_month,
        with_previous.city_code,
        case when with_previous.city_code = 'ALL'
            then (select region_name from region where region_level = 'province' limit 1)
            else region.region_name end as city_name,
        case when with_previous.city_code = 'ALL'
            then (select region_name_zh from region where region_level = 'province' limit 1)
            else region.region_name_zh end as city_name_zh,
        with_previous.city_code = 'ALL' as is_province_total,
        with_previous.subscribers,
        with_previous.active_subscribers,
        with_previous.active_previous_month,
        with_previous.churned,
        -- the churn rate's base: active at the previous month end, or a single snapshot's own subscribers
        case when as_of.is_single_snapshot then with_previous.subscribers else with_previous.active_previous_month end
            as churn_base,
        with_previous.churned / nullif(
            case when as_of.is_single_snapshot then with_previous.subscribers else with_previous.active_previous_month end, 0)
            as churn_rate,
        with_previous.new_activations,
        with_previous.new_activations - with_previous.churned as net_adds,
        base_size.base_size,
        case when with_previous.month >= as_of.first_retention_month
            then coalesce(base_retained.base_retained, 0) end as base_retained,
        case when with_previous.month >= as_of.first_retention_month
            then coalesce(base_retained.base_retained, 0) / nullif(base_size.base_size, 0) end as retention_rate,
        with_previous.revenue,
        round(with_previous.revenue / nullif(with_previous.active_subscribers, 0), 2) as arpu
    from with_previous
    cross join as_of
    left join region
        on region.region_code = with_previous.city_code
    left join base_size
        on base_size.city_code = with_previous.city_code
    left join base_retained
        on base_retained.city_code = with_previous.city_code
        and base_retained.month = with_previous.month
)

select * from final
