-- grain: one row per churn reason: the reasons agents capture on a call (ops.churn_reason) and, beside them, every
-- churn category and reason a delivery names (a churn snapshot's "Churn Category" / "Churn Reason"). a delivered
-- category that is an agent reason's id or english name ("Competitor", "competitor") is that reason, so both
-- sources count together; the others are reasons of their own, named as delivered.
-- refresh: full
-- input: stg.core_subscription (churn_category, churn_reason) all
with

agent_reasons as (
    select reason_id, name_en, name_de, name_zh, sort_order from ops.churn_reason
),

delivered as (
    select distinct churn_category, churn_reason
    from stg.core_subscription
    where status = 'churned'
        and (churn_category is not null or churn_reason is not null)
),

delivered_reasons as (
    select
        'delivered:' || coalesce(delivered.churn_category, '') || ':' || coalesce(delivered.churn_reason, '') as reason_key,
        agent_reasons.reason_id,
        delivered.churn_category,
        delivered.churn_reason,
        coalesce(delivered.churn_reason, delivered.churn_category) as delivered_name,
        agent_reasons.name_en,
        agent_reasons.name_de,
        agent_reasons.name_zh,
        coalesce(agent_reasons.sort_order, 1000) as sort_order
    from delivered
    left join agent_reasons
        on lower(trim(delivered.churn_category)) in (agent_reasons.reason_id, lower(agent_reasons.name_en))
),

final as (
    select
        reason_id as reason_key,
        'agent' as source,
        reason_id,
        cast(null as varchar) as churn_category,
        cast(null as varchar) as churn_reason,
        name_en as category_name_en,
        name_de as category_name_de,
        name_zh as category_name_zh,
        name_en as reason_name_en,
        name_de as reason_name_de,
        name_zh as reason_name_zh,
        sort_order
    from agent_reasons
    union all
    select
        reason_key,
        'delivered' as source,
        reason_id,
        churn_category,
        churn_reason,
        coalesce(name_en, churn_category) as category_name_en,
        coalesce(name_de, churn_category) as category_name_de,
        coalesce(name_zh, churn_category) as category_name_zh,
        delivered_name as reason_name_en,
        delivered_name as reason_name_de,
        delivered_name as reason_name_zh,
        sort_order
    from delivered_reasons
)

select * from final
