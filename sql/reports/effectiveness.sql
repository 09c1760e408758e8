-- grain: one row per campaign and horizon (30, 60, 90 days): retention of treated vs. control members, the difference
-- and its 95% confidence interval (normal approximation for the difference of two proportions). retained after
-- n days = active in the month-end snapshot n/30 months after the campaign's month; a horizon whose month is not
-- loaded yet counts no members (not observed), a member missing from an observed snapshot has left.
with

campaign as (
    select * from ops.campaign
),

-- the campaign as the reader's language titles it (its subject and month); demo campaigns stay marked as such
title as (
    select campaign_id, title from ops.campaign_title where lang = $lang
),

member as (
    select * from ops.campaign_member
),

fct as (
    select * from dw.fct_subscriber_month
),

as_of as (
    select * from dw.as_of
),

horizon as (
    select * from (values (30, 1), (60, 2), (90, 3)) as h(horizon_days, months)
),

members as (
    select
        member.*,
        coalesce(title.title || case when campaign.demo then ' (demo)' else '' end, campaign.name) as campaign_name,
        campaign.period
    from member
    join campaign on campaign.campaign_id = member.campaign_id
    left join title on title.campaign_id = campaign.campaign_id
    where member.member_group in ('treated', 'control')
        and campaign.period between $from_month and $to_month
        and (cast($city as varchar) is null or member.city_code = $city)
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

observed as (
    select
        members.campaign_id,
        members.campaign_name,
        members.period,
        horizon.horizon_days,
        members.member_group,
        coalesce(fct.is_active, false) as retained
    from members
    cross join horizon
    cross join as_of
    left join fct on fct.subscriber_id = members.subscriber_id and fct.month = members.period + to_months(horizon.months)
    where members.period + to_months(horizon.months) <= as_of.as_of_month
),

groups as (
    select
        campaign_id,
        any_value(campaign_name) as campaign_name,
        horizon_days,
        count(*) filter (where member_group = 'treated') as treated,
        count(*) filter (where member_group = 'treated' and retained) as treated_retained,
        count(*) filter (where member_group = 'control') as control,
        count(*) filter (where member_group = 'control' and retained) as control_retained
    from observed
    group by campaign_id, horizon_days
),

rates as (
    select
        *,
        treated_retained / nullif(treated, 0) as treated_rate,
        control_retained / nullif(control, 0) as control_rate
    from groups
),

final as (
    select
        campaign_id,
        campaign_name,
        horizon_days,
        treated,
        treated_retained,
        treated_rate,
        control,
        control_retained,
        control_rate,
        treated_rate - control_rate as difference,
        treated_rate - control_rate
            - 1.959964 * sqrt(treated_rate * (1 - treated_rate) / treated + control_rate * (1 - control_rate) / control) as ci_low,
        treated_rate - control_rate
            + 1.959964 * sqrt(treated_rate * (1 - treated_rate) / treated + control_rate * (1 - control_rate) / control) as ci_high
    from rates
)

select * from final
order by horizon_days, campaign_id
