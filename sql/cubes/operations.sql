-- grain: one row per scenario alert, per task and per contact (kind tells which), with the period, region, value tier, scenario, team and agent each belongs to
with

alert as (
    select * from det.alert
),

task as (
    select * from ops.task
),

contact as (
    select * from ops.contact
),

campaign as (
    select * from ops.campaign
),

scenario as (
    select * from det.scenario
),

agent as (
    select * from ops.agent
),

team as (
    select * from ops.team
),

churn_reason as (
    select * from ops.churn_reason
),

current_subscriber as (
    select subscriber_id, city_code, district_code, value_tier from dw.dim_subscriber where is_current
),

region as (
    select * from dw.dim_region
),

value_tier as (
    select * from dw.dim_value_tier
),

-- a task's scenario is its campaign's; a combined retention campaign names the first scenario behind the task
task_rows as (
    select
        'task' as kind,
        campaign.period,
        task.subscriber_id,
        task.city_code,
        task.value_tier,
        coalesce(campaign.scenario_id, split_part(task.scenario_ids, ',', 1)) as scenario_id,
        task.team_id,
        task.assigned_to as username,
        task.task_id,
        cast(null as varchar) as churn_reason_id,
        cast(null as varchar) as outcome,
        task.result
    from task
    left join campaign
        on campaign.campaign_id = task.campaign_id
),

alert_rows as (
    select
        'alert' as kind,
        alert.period,
        alert.subscriber_id,
        alert.city_code,
        alert.value_tier,
        alert.scenario_id,
        cast(null as varchar) as team_id,
        cast(null as varchar) as username,
        cast(null as bigint) as task_id,
        cast(null as varchar) as churn_reason_id,
        cast(null as varchar) as outcome,
        cast(null as varchar) as result
    from alert
),

contact_rows as (
    select
        'contact' as kind,
        cast(date_trunc('month', contact.contact_time) as date) as period,
        contact.subscriber_id,
        coalesce(task_rows.city_code, contact_subscriber.city_code) as city_code,
        task_rows.value_tier,
        task_rows.scenario_id,
        coalesce(agent.team_id, task_rows.team_id) as team_id,
        contact.username,
        contact.task_id,
        contact.churn_reason_id,
        contact.outcome,
        contact.result
    from contact
    left join task_rows
        on task_rows.task_id = contact.task_id
    left join agent
        on agent.username = contact.username
    left join current_subscriber as contact_subscriber
        on contact_subscriber.subscriber_id = contact.subscriber_id
),

all_rows as (
    select * from alert_rows
    union all
    select * from task_rows
    union all
    select * from contact_rows
),

final as (
    select
        all_rows.kind,
        all_rows.period as month,
        year(all_rows.period) as year,
        strftime(all_rows.period, '%Y') || '-Q' || quarter(all_rows.period) as quarter,
        strftime(all_rows.period, '%Y-%m') as year_month,
        city.province_code,
        province.region_name as province_name,
        province.region_name_zh as province_name_zh,
        all_rows.city_code,
        coalesce(city.region_name, all_rows.city_code) as city_name,
        coalesce(city.region_name_zh, city.region_name, all_rows.city_code) as city_name_zh,
        current_subscriber.district_code,
        coalesce(district.region_name, current_subscriber.district_code) as district_name,
        coalesce(district.region_name_zh, district.region_name, current_subscriber.district_code) as district_name_zh,
        coalesce(all_rows.value_tier, current_subscriber.value_tier) as value_tier,
        value_tier.sort_order as value_tier_order,
        coalesce(value_tier.name_en, all_rows.value_tier) as value_tier_name_en,
        coalesce(value_tier.name_de, all_rows.value_tier) as value_tier_name_de,
        coalesce(value_tier.name_zh, all_rows.value_tier) as value_tier_name_zh,
        all_rows.scenario_id,
        coalesce(scenario.name_en, all_rows.scenario_id) as scenario_name_en,
        coalesce(scenario.name_de, all_rows.scenario_id) as scenario_name_de,
        coalesce(scenario.name_zh, all_rows.scenario_id) as scenario_name_zh,
        all_rows.team_id,
        coalesce(team.name, all_rows.team_id) as team_name,
        all_rows.username,
        coalesce(agent.display_name, all_rows.username) as agent_name,
        all_rows.churn_reason_id,
        churn_reason.sort_order as churn_reason_order,
        coalesce(churn_reason.name_en, all_rows.churn_reason_id) as churn_reason_name_en,
        coalesce(churn_reason.name_de, all_rows.churn_reason_id) as churn_reason_name_de,
        coalesce(churn_reason.name_zh, all_rows.churn_reason_id) as churn_reason_name_zh,
        all_rows.subscriber_id,
        all_rows.task_id,
        -- contacted: a call that got through or an SMS delivered
        all_rows.kind = 'contact' and all_rows.outcome in ('reached', 'delivered') as is_contact_made,
        all_rows.kind = 'contact' and all_rows.result in ('retained', 'accepted_offer') as is_success
    from all_rows
    left join region as city
        on city.region_code = all_rows.city_code
    left join region as province
        on province.region_code = city.province_code
    left join current_subscriber
        on current_subscriber.subscriber_id = all_rows.subscriber_id
    left join region as district
        on district.region_code = current_subscriber.district_code
    left join value_tier
        on value_tier.value_tier = coalesce(all_rows.value_tier, current_subscriber.value_tier)
    left join scenario
        on scenario.scenario_id = all_rows.scenario_id
    left join team
        on team.team_id = all_rows.team_id
    left join agent
        on agent.username = all_rows.username
    left join churn_reason
        on churn_reason.reason_id = all_rows.churn_reason_id
)

select * from final
