-- grain: one row per subscriber flagged by one scenario in one period: the detector's rows as alerts of this run.
-- a detector returning a subscriber twice keeps its most urgent row, so the grain holds whatever the detector does.
insert into det.alert (
    scenario_id, period, subscriber_id, city_code, value_tier, score, evidence, evidence_json, params_hash, run_id,
    detected_at
)

with

detected as (
    /*detector*/
),

final as (
    select
        $scenario_id as scenario_id,
        cast($period as date) as period,
        subscriber_id,
        coalesce(city_code, 'unknown') as city_code,
        value_tier,
        least(1.0, greatest(0.0, coalesce(score, 0))) as score,
        coalesce(evidence, '') as evidence,
        evidence_json,
        $params_hash as params_hash,
        $run_id as run_id,
        now() as detected_at
    from detected
    where subscriber_id is not null
    qualify row_number() over (partition by subscriber_id order by score desc nulls last, evidence) = 1
)

select * from final
