-- grain: one row per calendar day, from the first month with data to the newest business date + 400 days
-- (agreement end dates lie in the future and must still find their day).
-- refresh: full
-- input: stg.core_subscription
-- input: stg.usage_day
-- input: stg.bill
-- order: date
with

business_dates as (
    select min(_business_date) as first_date, max(_business_date) as last_date from stg.core_subscription
    union all
    select min(_business_date), max(_business_date) from stg.usage_day
    union all
    select min(_business_date), max(_business_date) from stg.bill
),

bounds as (
    select
        cast(date_trunc('month', min(first_date)) as date) as first_date,
        cast(max(last_date) + interval 400 day as date) as last_date
    from business_dates
),

days as (
    select cast(range as date) as date
    from bounds, range(bounds.first_date, bounds.last_date + interval 1 day, interval 1 day)
),

final as (
    select
        cast(strftime(date, '%Y%m%d') as integer) as date_key,
        date,
        year(date) as year,
        quarter(date) as quarter,
        month(date) as month,
        cast(date_trunc('month', date) as date) as month_start,
        cast(last_day(date) as date) as month_end,
        isodow(date) as day_of_week,  -- 1 = monday … 7 = sunday
        date = last_day(date) as is_month_end,
        strftime(date, '%Y-%m') as year_month
    from days
)

select * from final
