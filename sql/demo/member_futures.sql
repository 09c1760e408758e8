-- grain: one row per member of the period's demo campaigns: what the warehouse says became of the subscriber in the
-- two months after the period (the simulated calls answer in line with it)
with

members as (
    select distinct member.subscriber_id
    from ops.campaign_member as member
    inner join ops.campaign as campaign
        on campaign.campaign_id = member.campaign_id
    where campaign.period = $period and campaign.demo
),

months as (
    select subscriber_id, month, is_active, churned_in_month
    from dw.fct_subscriber_month
    where month in (cast($period as date) + interval 1 month, cast($period as date) + interval 2 month)
),

final as (
    select
        members.subscriber_id as SubscriberId,
        -- churned in the month of the calls (or gone from its snapshot): may already have left when called
        coalesce(bool_or(months.churned_in_month)
            filter (where months.month = cast($period as date) + interval 1 month), true) as GoneNextMonth,
        -- not retained in one of the two months: the effectiveness report's view of the same subscriber
        coalesce(bool_or(months.churned_in_month or not months.is_active), true)
            or count(months.month) < 2 as LeavesWithinTwoMonths
    from members
    left join months
        on months.subscriber_id = members.subscriber_id
    group by members.subscriber_id
)

select * from final
