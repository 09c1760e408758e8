-- grain: one row per treated member of the clicked campaign still active after the clicked horizon
with

campaign as (
    select * from ops.campaign
),

member as (
    select * from ops.campaign_member
),

fct as (
    select * from dw.fct_subscriber_month
),

subscriber as (
    select * from dw.dim_subscriber where is_current
),

members as (
    select member.*, campaign.period
    from member
    join campaign on campaign.campaign_id = member.campaign_id
    where member.campaign_id = $campaign_id
        and member.member_group = 'treated'
        and (cast($city as varchar) is null or member.city_code = $city)
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

final as (
    select
        members.subscriber_id,
        subscriber.msisdn,
        members.city_code,
        subscriber.district_code,
        members.value_tier,
        subscriber.plan_code,
        subscriber.status,
        members.scenario_ids as detail
    from members
    left join fct on fct.subscriber_id = members.subscriber_id and fct.month = members.period + to_months(cast($horizon_days as integer) // 30)
    left join subscriber on subscriber.subscriber_id = members.subscriber_id
    where fct.is_active
)

select * from final
order by subscriber_id
