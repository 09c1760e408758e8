-- grain: one row per dimension member a reader sees by name: (dimension, code), its name in the reader's language
-- ($lang) and, where the business orders the members (value tiers: high, mid, low), their order; the tables exist once
-- the first load has built the dimensions
with

region as (
    select * from dw.dim_region
),

value_tier as (
    select * from dw.dim_value_tier
),

plan as (
    select * from dw.dim_plan
),

channel as (
    select * from dw.dim_channel
),

vas_product as (
    select * from dw.dim_vas_product
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

final as (
    select 'city' as dimension, city_code as code,
        case when $lang = 'zh' then coalesce(city_name_zh, city_name) else city_name end as name,
        cast(null as integer) as sort_order
    from region
    where region_level = 'city'
    union all
    select 'district', district_code,
        case when $lang = 'zh' then coalesce(district_name_zh, district_name) else district_name end, null
    from region
    where region_level = 'district'
    union all
    select 'value_tier', value_tier, case $lang when 'de' then name_de when 'zh' then name_zh else name_en end, sort_order
    from value_tier
    union all
    select 'plan', plan_code, plan_name, null from plan
    union all
    select 'channel', channel_code, channel_name, null from channel
    union all
    select 'vas', vas_code, vas_name, null from vas_product
    union all
    select 'scenario', scenario_id, case $lang when 'de' then name_de when 'zh' then name_zh else name_en end, null
    from scenario
    union all
    select 'agent', username, display_name, null from agent
    union all
    select 'team', team_id, name, null from team
)

select * from final
where name is not null
