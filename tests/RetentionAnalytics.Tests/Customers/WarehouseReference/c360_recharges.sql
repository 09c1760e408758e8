-- grain: one row per prepaid top-up of the subscriber in the 12 months up to the as-of month, newest first, with the
-- channel's name.
with

recharges as (
    select * from dw.fct_recharge
    where subscriber_id = $subscriber_id
        and recharge_date >= (select cast(as_of_month - interval 11 month as date) from dw.as_of)
),

final as (
    select
        recharges.recharge_id as RechargeId,
        recharges.recharge_time as RechargedAt,
        recharges.amount as Amount,
        recharges.channel_code as ChannelCode,
        channel.channel_name as ChannelName
    from recharges
    left join dw.dim_channel as channel
        on channel.channel_code = recharges.channel_code
    order by recharges.recharge_time desc, recharges.recharge_id
)

select * from final
