-- grain: one row per subscriber whose churn score for the period (det.churn_score, written by the churn model)
-- is at least $min_score. no scores for the period: no alerts.
with

scores as (
    select subscriber_id, city_code, score, model_id, top_factors
    from det.churn_score
    where period = cast($period as date)
    -- a model re-scored the period: its newest score counts
    qualify row_number() over (partition by subscriber_id order by scored_at desc) = 1
),

features as (
    select subscriber_id, value_tier, status
    from mart.mart_subscriber_features
    where month = cast($period as date)
),

final as (
    select
        scores.subscriber_id,
        scores.city_code,
        features.value_tier,
        least(1.0, greatest(0.0, scores.score)) as score,
        format('churn score {:.2f} (model {}){}', scores.score, scores.model_id,
            case when scores.top_factors is not null then ': ' || scores.top_factors else '' end) as evidence,
        json_object('churn_score', round(scores.score, 4), 'model_id', scores.model_id,
            'top_factors', scores.top_factors)::varchar as evidence_json
    from scores
    left join features
        on features.subscriber_id = scores.subscriber_id
    where scores.score >= $min_score
        and features.status is distinct from 'churned'
)

select * from final
