-- grain: one row: the subscriber's state at the as-of date: latest prepaid balance, arrears and suspension,
-- call forwarding in force, loyalty points and handset. every part is a left join: a subscriber without
-- forwarding, arrears, points or a prepaid balance gets nulls there.
with

balance as (
    select *
    from dw.fct_balance
    where subscriber_id = $subscriber_id
    order by balance_date desc
    limit 1
),

account_state as (
    select * from dw.account_state where subscriber_id = $subscriber_id
),

forwarding as (
    select * from dw.call_forwarding_state where subscriber_id = $subscriber_id
),

points as (
    select * from dw.points_balance where subscriber_id = $subscriber_id
),

handset as (
    select * from dw.fct_handset where subscriber_id = $subscriber_id
),

final as (
    select
        balance.balance_date as BalanceDate,
        balance.balance as Balance,
        balance.fee_due_month_end as FeeDueMonthEnd,
        balance.shortfall as Shortfall,
        coalesce(account_state.is_suspended, false) as IsSuspended,
        account_state.suspension_type as SuspensionType,
        account_state.suspended_since as SuspendedSince,
        cast(account_state.days_suspended as integer) as DaysSuspended,
        account_state.amount_owed as AmountOwed,
        account_state.arrears_since as ArrearsSince,
        coalesce(forwarding.active_forwards, 0) > 0 as HasForwarding,
        coalesce(forwarding.has_active_forwarding_offnet, false) as ForwardingOffnet,
        forwarding.target_network as ForwardingTargetNetwork,
        forwarding.forward_type as ForwardingType,
        forwarding.active_since as ForwardingSince,
        cast(points.points_balance as bigint) as PointsBalance,
        cast(points.points_earned as bigint) as PointsEarned,
        cast(points.points_redeemed as bigint) as PointsRedeemed,
        points.last_redeemed_at as PointsLastRedeemedAt,
        handset.brand as HandsetBrand,
        handset.model as HandsetModel,
        handset.is_5g as HandsetIs5g,
        handset.first_seen_date as HandsetFirstSeen,
        cast(handset.handsets_seen as integer) as HandsetsSeen
    from (select 1) as one_row
    left join balance on true
    left join account_state on true
    left join forwarding on true
    left join points on true
    left join handset on true
)

select * from final
