-- grain: one row per active churn reason of the managed list, in its order, named in the user's language
with

reason as (
    select * from ops.churn_reason where active
),

final as (
    select reason_id, case $lang when 'de' then name_de when 'zh' then name_zh else name_en end as name, sort_order
    from reason
)

select * from final
order by sort_order, reason_id
