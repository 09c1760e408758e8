-- grain: one row per postpaid payment; the same payment delivered twice (two months' files) keeps the newest load.
-- refresh: key payment_id
-- input: stg.payment
-- month: payment_date
-- order: subscriber_id, payment_time
with

payment as (
    select * from stg.payment
    {% if is_incremental() %}
    semi join refresh_key using (payment_id)
    {% endif %}
    qualify row_number() over (partition by payment_id order by _business_date desc, _load_id desc, _line desc) = 1
),

final as (
    select
        payment_id,
        subscriber_id,
        payment_time,
        cast(payment_time as date) as payment_date,
        amount,
        method,
        _business_date as delivered_for
    from payment
)

select * from final
