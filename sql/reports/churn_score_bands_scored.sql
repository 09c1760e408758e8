-- grain: one row per subscriber of the clicked band and city scored in the chosen month
with

score as (
    select * from det.churn_score
),

subscriber as (
    select * from dw.dim_subscriber where is_current
),

banded as (
    select
        score.*,
        case
            when score.score >= 0.5 then '5: 0.50-1.00'
            when score.score >= 0.2 then '4: 0.20-0.50'
            when score.score >= 0.1 then '3: 0.10-0.20'
            when score.score >= 0.05 then '2: 0.05-0.10'
            else '1: 0.00-0.05'
        end as score_band
    from score
    where score.period = $period
        and score.city_code = $city_code
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

final as (
    select
        banded.subscriber_id,
        subscriber.msisdn,
        banded.city_code,
        subscriber.district_code,
        subscriber.value_tier,
        subscriber.plan_code,
        subscriber.status,
        banded.score,
        banded.top_factors
    from banded
    left join subscriber on subscriber.subscriber_id = banded.subscriber_id
    where banded.score_band = $score_band
)

select * from final
order by score desc, subscriber_id
