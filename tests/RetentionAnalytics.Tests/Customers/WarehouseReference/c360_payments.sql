-- grain: one row per postpaid payment of the subscriber in the 12 months up to the as-of month, newest first.
with

payments as (
    select * from dw.fct_payment
    where subscriber_id = $subscriber_id
        and payment_date >= (select cast(as_of_month - interval 11 month as date) from dw.as_of)
),

final as (
    select
        payment_id as PaymentId,
        payment_time as PaidAt,
        amount as Amount,
        method as Method
    from payments
    order by payment_time desc, payment_id
)

select * from final
