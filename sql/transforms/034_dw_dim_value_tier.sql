-- grain: one row per value tier. the fixed names are the business's own; any code the ods sends beyond them still
-- gets a row ("unknown") so that no fact row falls out of a join.
-- refresh: full
-- input: stg.core_subscription
with

fixed_tiers as (
    select * from (values
        ('high', 1, 'High value', 'Hochwertig', '高端'),
        ('mid', 2, 'Mid value', 'Mittelwertig', '中端'),
        ('low', 3, 'Low value', 'Niedrigwertig', '低端')
    ) as t(value_tier, sort_order, name_en, name_de, name_zh)
),

delivered_tiers as (
    select distinct value_tier from stg.core_subscription where value_tier is not null
),

final as (
    select * from fixed_tiers
    union all
    select value_tier, 9, 'Unknown (' || value_tier || ')', 'Unbekannt (' || value_tier || ')', '未知 (' || value_tier || ')'
    from delivered_tiers
    where value_tier not in (select value_tier from fixed_tiers)
)

select * from final
