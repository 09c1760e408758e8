-- grain: one row per subscriber and month: the subscription snapshot of the newest business date within the month
-- a corrected re-delivery replaced its date in staging; a mid-month extra delivery does not double a month.
-- the newest date is each core source's own: a source delivered on another day of the month than the province's
-- month end (an operator's own system on the last working day) keeps its rows. a subscriber that two sources both
-- deliver in a month is one row: the newer snapshot, on the same day the province's own extract, then the source name.
-- a table refreshed by month: the subscriber dimension and the monthly fact read it, and the subscriber dimension
-- compares a month's new rows with its old ones to find the histories a delivery changed. the load columns are left
-- out, so that a re-delivery of the same rows changes nothing.
-- refresh: partition month
-- input: stg.core_subscription
-- order: month, subscriber_id
with

month_end_dates as (
    select _source, max(_business_date) as business_date
    from stg.core_subscription as subscription
    {% if is_incremental() %}
    where cast(date_trunc('month', _business_date) as date) in (select month from refresh_partition)
    {% endif %}
    group by _source, date_trunc('month', _business_date)
),

final as (
    select
        subscription.* exclude (_load_id, _line, _source),
        cast(date_trunc('month', subscription._business_date) as date) as month
    from stg.core_subscription as subscription
    semi join month_end_dates
        on subscription._source = month_end_dates._source
        and subscription._business_date = month_end_dates.business_date
    qualify row_number() over (
        partition by date_trunc('month', subscription._business_date), subscription.subscriber_id
        order by subscription._business_date desc, subscription._source = 'subscription' desc, subscription._source) = 1
)

select * from final
