-- grain: one row per subscriber matched by a saved filter (a custom rule's condition over the feature mart) in the
-- newest month; the compiled rule applies the intersection of the rule's and the requester's scope
with

matched as (
/*detector*/
),

final as (
    select subscriber_id, city_code from matched
)

select * from final
