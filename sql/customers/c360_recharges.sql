-- grain: one row per prepaid top-up of the subscriber in the 12 months up to the as-of month, newest first.
with

recharges as (
    select * from dw.fct_recharge
    where subscriber_id = $subscriber_id
        and recharge_date >= (select cast(as_of_month - interval 11 month as date) from dw.as_of)
),

final as (
    select
        recharge_id as RechargeId,
        recharge_time as RechargedAt,
        amount as Amount,
        channel_code as ChannelCode
    from recharges
    order by recharge_time desc, recharge_id
)

select * from final
