-- grain: one row per star level. the fixed names are the business's own; any level the ods sends beyond them still
-- gets a row ("unknown") so that no fact row falls out of a join.
-- refresh: full
-- input: stg.core_subscription
with

fixed_levels as (
    -- 0 = no membership, 1..5 stars, then the two premium five-star grades (gold, diamond)
    select * from (values
        (0, 'None', 'Keine', '无星级'),
        (1, 'One star', 'Ein Stern', '一星'),
        (2, 'Two stars', 'Zwei Sterne', '二星'),
        (3, 'Three stars', 'Drei Sterne', '三星'),
        (4, 'Four stars', 'Vier Sterne', '四星'),
        (5, 'Five stars', 'Fünf Sterne', '五星'),
        (6, 'Five stars gold', 'Fünf Sterne Gold', '五星金'),
        (7, 'Five stars diamond', 'Fünf Sterne Diamant', '五星钻')
    ) as t(star_level, name_en, name_de, name_zh)
),

delivered_levels as (
    select distinct star_level from stg.core_subscription where star_level is not null
),

final as (
    select star_level, star_level as sort_order, name_en, name_de, name_zh from fixed_levels
    union all
    select star_level, star_level, 'Unknown', 'Unbekannt', '未知'
    from delivered_levels
    where star_level not in (select star_level from fixed_levels)
)

select * from final
