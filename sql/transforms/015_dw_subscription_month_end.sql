-- grain: one row per subscriber and month: the subscription snapshot of the newest business date within each
-- month (a corrected re-delivery replaced its date in staging; a mid-month extra delivery does not double a month).
-- a view, not a table: dim_subscriber and fct_subscriber_month read it once each, inside the rebuild.
create or replace view dw.subscription_month_end as

with

month_end_dates as (
    select max(_business_date) as business_date
    from stg.subscription
    group by date_trunc('month', _business_date)
),

final as (
    select
        subscription.*,
        cast(date_trunc('month', subscription._business_date) as date) as month
    from stg.subscription
    semi join month_end_dates
        on subscription._business_date = month_end_dates.business_date
)

select * from final
