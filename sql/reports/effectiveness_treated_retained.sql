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

scenario as (
    select * from det.scenario
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

-- the scenarios that put each member on the list, by name in the reader's language, in the order the list stored them
listed as (
    select subscriber_id, unnest(ids) as scenario_id, unnest(range(len(ids))) as position
    from (select subscriber_id, string_split(scenario_ids, ',') as ids from members)
),

named_scenarios as (
    select
        listed.subscriber_id,
        string_agg(
            coalesce(case $lang when 'de' then scenario.name_de when 'zh' then scenario.name_zh else scenario.name_en end, listed.scenario_id),
            '; ' order by listed.position
        ) as scenarios
    from listed
    left join scenario on scenario.scenario_id = listed.scenario_id
    group by listed.subscriber_id
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
        named_scenarios.scenarios as detail
    from members
    left join named_scenarios on named_scenarios.subscriber_id = members.subscriber_id
    left join fct on fct.subscriber_id = members.subscriber_id and fct.month = members.period + to_months(cast($horizon_days as integer) // 30)
    left join subscriber on subscriber.subscriber_id = members.subscriber_id
    where fct.is_active
)

select * from final
order by subscriber_id
