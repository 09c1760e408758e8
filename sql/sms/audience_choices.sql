-- grain: one row per audience a user may pick in their scope: alert sets (scenario x period, newest periods first),
-- call lists (campaigns with tasks, and their not-reached tasks) and saved filters (custom rules)
with

alert_sets as (
    select scenario_id, period, count(distinct subscriber_id) as subscribers
    from det.alert
    where ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
        and period >= (select max(period) from det.alert) - interval 2 month
    group by all
),

campaigns as (
    select campaign.campaign_id, campaign.name, count(*) as subscribers
    from ops.campaign as campaign
    inner join ops.task as task
        on task.campaign_id = campaign.campaign_id
    where ($scope_all or list_contains(string_split($scope_cities, ','), task.city_code))
    group by all
),

rules as (
    select rule_id, name from det.custom_rule where enabled
),

final as (
    select 'alerts' as kind, scenario_id || ':' || strftime(period, '%Y-%m') as ref,
        scenario_id || ' ' || strftime(period, '%Y-%m') as label, subscribers, 1 as sort_group
    from alert_sets
    union all
    select 'call_list', cast(campaign_id as varchar), name, subscribers, 2
    from campaigns
    union all
    select 'call_list', cast(campaign_id as varchar) || ':not_reached', name || ' (not reached)', null, 3
    from campaigns
    union all
    select 'saved_filter', 'custom_' || cast(rule_id as varchar), name, null, 4
    from rules
)

select kind, ref, label, subscribers from final
order by sort_group, ref desc
