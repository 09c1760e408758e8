-- grain: one row per subscriber whose churn score for the period (det.churn_score, written by the churn model)
-- is at least $min_score. no scores for the period: no alerts.
with

-- a model re-scored the period: its newest score counts. only scores at the threshold can alert, so the newest
-- score is looked up for those subscribers alone instead of ranking every score of the month
candidates as (
    select subscriber_id, city_code, score, model_id, top_factors, scored_at
    from det.churn_score
    where period = cast($period as date)
        and score >= $min_score
),

rescored as (
    select later.subscriber_id, max(later.scored_at) as newest_at
    from det.churn_score as later
    where later.period = cast($period as date)
        and later.subscriber_id in (select subscriber_id from candidates)
    group by later.subscriber_id
),

scores as (
    select candidates.subscriber_id, candidates.city_code, candidates.score, candidates.model_id, candidates.top_factors
    from candidates
    inner join rescored
        on rescored.subscriber_id = candidates.subscriber_id
        and rescored.newest_at = candidates.scored_at
    qualify row_number() over (partition by candidates.subscriber_id order by candidates.scored_at desc) = 1
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
    where features.status is distinct from 'churned'
)

select * from final
