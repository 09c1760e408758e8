-- grain: one row per audience a user may pick in their scope: alert sets (scenario x period, newest periods first),
-- call lists (campaigns with tasks, and their not-reached tasks) and saved filters (custom rules). name: the scenario's
-- name or the campaign's title in $lang, or the filter's name; the page adds the month and "(not reached)".
-- the enabled custom rules are operational data, filled by the caller: sms/saved_filter_table.sql
with

alert_sets as (
    select scenario_id, period, count(distinct subscriber_id) as subscribers
    from det.alert
    where ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
        and period >= (select max(period) from det.alert) - interval 2 month
    group by all
),

scenario as (
    select scenario_id, case $lang when 'de' then name_de when 'zh' then name_zh else name_en end as name
    from det.scenario
),

campaigns as (
    select campaign.campaign_id, coalesce(title.title, campaign.name) as name, count(*) as subscribers
    from ops.campaign as campaign
    inner join ops.task as task
        on task.campaign_id = campaign.campaign_id
    left join ops.campaign_title as title
        on title.campaign_id = campaign.campaign_id and title.lang = $lang
    where ($scope_all or list_contains(string_split($scope_cities, ','), task.city_code))
    group by all
),

rules as (
    select rule_id, name from saved_filter
),

final as (
    select 'alerts' as kind, alert_sets.scenario_id || ':' || strftime(alert_sets.period, '%Y-%m') as ref,
        coalesce(scenario.name, alert_sets.scenario_id) as name, alert_sets.period, false as not_reached,
        alert_sets.subscribers, 1 as sort_group
    from alert_sets
    left join scenario
        on scenario.scenario_id = alert_sets.scenario_id
    union all
    select 'call_list', cast(campaign_id as varchar), name, null, false, subscribers, 2
    from campaigns
    union all
    select 'call_list', cast(campaign_id as varchar) || ':not_reached', name, null, true, null, 3
    from campaigns
    union all
    select 'saved_filter', 'custom_' || cast(rule_id as varchar), name, null, false, null, 4
    from rules
)

select kind, ref, name, period, not_reached, subscribers from final
order by sort_group, ref desc
