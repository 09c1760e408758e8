-- grain: one row per subscriber and month of the monthly fact, plus one row per snapshot-base member and month without a fact row from the reference date on (the retention denominator keeps the whole base)
-- the subscriber-month cube's base relation (reports/cubes/subscriber_month.yaml reads it through sql/cubes/subscriber_month.sql),
-- materialised once per build instead of recomputed per pivot; ordered by month and city so a pivot's month and scope
-- predicates skip row groups. refreshed by month: a month's rows read that month's facts, the snapshot base and the
-- dimensions' names.
-- refresh: partition month
-- input: dw.fct_subscriber_month
-- input: dw.snapshot_base all
-- input: dw.as_of (first_month, base_date, is_single_snapshot) all
-- input: dw.dim_region all
-- input: dw.dim_plan all
-- input: dw.dim_channel all
-- input: dw.dim_value_tier all
-- input: dw.dim_churn_reason all
-- order: month, city_code
-- slices: 5000000 per 10GB
with

subscriber_month as (
    select * from dw.fct_subscriber_month
    {% if is_incremental() %}
    where month in (select month from refresh_partition)
    {% endif %}
),

as_of as (
    select
        cast(date_trunc('month', base_date) as date) as first_retention_month,
        first_month,
        is_single_snapshot
    from dw.as_of
),

region as (
    select * from dw.dim_region
),

plan as (
    select * from dw.dim_plan
),

channel as (
    select * from dw.dim_channel
),

value_tier as (
    select * from dw.dim_value_tier
),

churn_reason as (
    select * from dw.dim_churn_reason where source = 'delivered'
),

months as (
    select distinct month from subscriber_month
),

snapshot_base as (
    select * from dw.snapshot_base
),

-- a base member stays in the retention denominator in every month from the reference date on, also in months
-- without a fact row (after its churn month, or a month the snapshot missed it): such rows carry the member's
-- attributes at the base date (channel and activation date too) and count for nothing else. only members with fewer fact rows than months need the
-- month-by-month look-up, which keeps it off the other (most) members
retention_months as (
    select months.month from months cross join as_of where months.month >= as_of.first_retention_month
),

incomplete_members as (
    select subscriber_month.subscriber_id
    from subscriber_month
    cross join as_of
    where subscriber_month.in_snapshot_base and subscriber_month.month >= as_of.first_retention_month
    group by subscriber_month.subscriber_id
    having count(*) < (select count(*) from retention_months)
    union all
    select snapshot_base.subscriber_id
    from snapshot_base
    anti join subscriber_month
        on subscriber_month.subscriber_id = snapshot_base.subscriber_id
        and subscriber_month.month >= (select first_retention_month from as_of)
),

lapsed_base as (
    select
        retention_months.month,
        snapshot_base.subscriber_id,
        snapshot_base.city_code,
        snapshot_base.district_code,
        snapshot_base.plan_code,
        snapshot_base.channel_code,
        snapshot_base.value_tier,
        snapshot_base.payment_type,
        greatest(date_diff('month', snapshot_base.activation_date, last_day(retention_months.month)), 0) as tenure_months,
        false as is_active,
        false as churned_in_month,
        false as is_new,
        true as in_snapshot_base,
        false as in_snapshot
    from incomplete_members
    inner join snapshot_base
        on snapshot_base.subscriber_id = incomplete_members.subscriber_id
    cross join retention_months
    anti join subscriber_month
        on subscriber_month.subscriber_id = snapshot_base.subscriber_id
        and subscriber_month.month = retention_months.month
),

all_rows as (
    select subscriber_month.*, true as in_snapshot from subscriber_month
    union all by name
    select * from lapsed_base
),

final as (
    select
        all_rows.month,
        year(all_rows.month) as year,
        strftime(all_rows.month, '%Y') || '-Q' || quarter(all_rows.month) as quarter,
        strftime(all_rows.month, '%Y-%m') as year_month,
        province.region_code as province_code,
        province.region_name as province_name,
        province.region_name_zh as province_name_zh,
        all_rows.city_code,
        coalesce(city.region_name, all_rows.city_code) as city_name,
        coalesce(city.region_name_zh, city.region_name, all_rows.city_code) as city_name_zh,
        all_rows.district_code,
        coalesce(district.region_name, all_rows.district_code) as district_name,
        coalesce(district.region_name_zh, district.region_name, all_rows.district_code) as district_name_zh,
        all_rows.plan_code,
        coalesce(plan.plan_name, all_rows.plan_code) as plan_name,
        all_rows.channel_code,
        coalesce(channel.channel_name, all_rows.channel_code) as channel_name,
        all_rows.value_tier,
        value_tier.sort_order as value_tier_order,
        coalesce(value_tier.name_en, all_rows.value_tier) as value_tier_name_en,
        coalesce(value_tier.name_de, all_rows.value_tier) as value_tier_name_de,
        coalesce(value_tier.name_zh, all_rows.value_tier) as value_tier_name_zh,
        all_rows.payment_type,
        -- tenure bands as the retention department reads them: the first half year is the riskiest
        case
            when all_rows.tenure_months < 6 then '0-5m'
            when all_rows.tenure_months < 12 then '6-11m'
            when all_rows.tenure_months < 24 then '1-2y'
            when all_rows.tenure_months < 60 then '2-5y'
            else '5y+'
        end as tenure_band,
        case
            when all_rows.tenure_months < 6 then 1
            when all_rows.tenure_months < 12 then 2
            when all_rows.tenure_months < 24 then 3
            when all_rows.tenure_months < 60 then 4
            else 5
        end as tenure_band_order,
        all_rows.subscriber_id,
        all_rows.in_snapshot,
        all_rows.in_snapshot and all_rows.is_active as is_active,
        all_rows.in_snapshot and all_rows.churned_in_month as churned_in_month,
        -- every line active at the previous month end is in this month's snapshot (a churner once more, in its
        -- churn month); the lines activated during the month are not: the churn-rate denominator
        -- the first data month has no previous month end, so it has no churn rate (as in the KPI mart)
        -- a single snapshot month (a churn dataset) is its own base: every customer in it, churners included
        all_rows.in_snapshot and (as_of.is_single_snapshot or (not all_rows.is_new and all_rows.month > as_of.first_month))
            as active_at_month_start,
        all_rows.in_snapshot_base and all_rows.month >= as_of.first_retention_month as is_base_member,
        all_rows.in_snapshot_base and all_rows.month >= as_of.first_retention_month
            and all_rows.in_snapshot and all_rows.is_active as is_base_retained,
        case when all_rows.in_snapshot then all_rows.bill_amount end as revenue,
        case when all_rows.in_snapshot then all_rows.voice_minutes end as voice_minutes,
        case when all_rows.in_snapshot then all_rows.data_mb end as data_mb,
        -- why a churner left, as delivered (agents' reasons are the operations cube's)
        churn_reason.reason_key as churn_reason_key,
        churn_reason.sort_order as churn_reason_order,
        churn_reason.category_name_en as churn_category_name_en,
        churn_reason.category_name_de as churn_category_name_de,
        churn_reason.category_name_zh as churn_category_name_zh,
        coalesce(churn_reason.churn_category, churn_reason.reason_id) as churn_category_key,
        churn_reason.reason_name_en as churn_reason_name_en,
        churn_reason.reason_name_de as churn_reason_name_de,
        churn_reason.reason_name_zh as churn_reason_name_zh
    from all_rows
    cross join as_of
    left join region as city
        on city.region_code = all_rows.city_code
    left join region as district
        on district.region_code = all_rows.district_code
    left join region as province
        on province.region_code = city.province_code
    left join plan
        on plan.plan_code = all_rows.plan_code
    left join channel
        on channel.channel_code = all_rows.channel_code
    left join value_tier
        on value_tier.value_tier = all_rows.value_tier
    left join churn_reason
        on all_rows.in_snapshot
        and churn_reason.churn_category is not distinct from all_rows.churn_category
        and churn_reason.churn_reason is not distinct from all_rows.churn_reason
)

select * from final
