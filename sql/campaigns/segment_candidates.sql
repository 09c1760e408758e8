-- grain: one row per subscriber matching a special campaign's segment (the compiled custom-rule condition, already
-- limited to the creator's scope). risk is the newest churn score where there is one, else the middle of the range.
with

segment as (
    /*detector*/
),

scores as (
    select subscriber_id, arg_max(score, period) as score
    from det.churn_score
    where subscriber_id in (select subscriber_id from segment)
    group by subscriber_id
),

final as (
    select
        segment.subscriber_id,
        segment.city_code,
        segment.value_tier,
        coalesce(scores.score, 0.5) as risk_score,
        $scenario_ids as scenario_ids
    from segment
    left join scores
        on scores.subscriber_id = segment.subscriber_id
)

select * from final
