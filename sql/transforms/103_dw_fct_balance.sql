-- grain: one row per prepaid subscriber and balance date (month end).
-- shortfall > 0 means the balance will not cover the fee deducted at the turn of the month: the line is
-- suspended unless the customer tops up (scenario: month-end deduction suspension warning).
-- refresh: partition balance_date
-- input: stg.balance rows
-- order: subscriber_id, balance_date
with

balance as (
    select * from stg.balance
    {% if is_incremental() %}
    where balance_date in (select balance_date from refresh_partition)
    {% endif %}
    qualify row_number() over (
        partition by subscriber_id, balance_date order by _business_date desc, _load_id desc, _line desc) = 1
),

final as (
    select
        subscriber_id,
        balance_date,
        cast(date_trunc('month', balance_date) as date) as balance_month,
        balance,
        fee_due_month_end,
        fee_due_month_end - balance as shortfall,
        _business_date as delivered_for
    from balance
)

select * from final
