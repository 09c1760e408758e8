-- grain: one row per subscriber and bill month. a bill month delivered in two files (late correction inside a
-- later month's file) keeps the newest load.
-- refresh: partition bill_month
-- input: stg.bill rows
-- order: subscriber_id, bill_month
with

bill as (
    select * from stg.bill
    {% if is_incremental() %}
    where bill_month in (select bill_month from refresh_partition)
    {% endif %}
    qualify row_number() over (
        partition by subscriber_id, bill_month order by _business_date desc, _load_id desc, _line desc) = 1
),

final as (
    select
        subscriber_id,
        bill_month,
        total_amount,
        voice_fee,
        data_fee,
        sms_fee,
        vas_fee,
        other_fee,
        due_date,
        _business_date as delivered_for
    from bill
)

select * from final
