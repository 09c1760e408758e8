-- grain: one row per postpaid payment; the same payment delivered twice (two months' files) keeps the newest load.
create or replace table dw.fct_payment as

with

payment as (
    select * from stg.payment
    qualify row_number() over (partition by payment_id order by _business_date desc, _load_id desc, _line desc) = 1
),

final as (
    select
        payment_id,
        subscriber_id,
        payment_time,
        cast(payment_time as date) as payment_date,
        amount,
        method
    from payment
)

select * from final
