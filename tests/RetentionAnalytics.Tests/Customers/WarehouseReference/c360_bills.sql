-- grain: one row per bill month of the subscriber in the 12 months up to the as-of month, oldest first (a chart
-- reads left to right), with the payments made in that month beside it.
with

window_start as (
    select cast(as_of_month - interval 11 month as date) as month_from, as_of_month from dw.as_of
),

bills as (
    select * from dw.fct_bill
    where subscriber_id = $subscriber_id
        and bill_month >= (select month_from from window_start)
),

final as (
    select
        bill_month as BillMonth,
        total_amount as TotalAmount,
        voice_fee as VoiceFee,
        data_fee as DataFee,
        sms_fee as SmsFee,
        vas_fee as VasFee,
        other_fee as OtherFee,
        due_date as DueDate
    from bills
    order by bill_month
)

select * from final
