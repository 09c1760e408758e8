-- grain: one row per city and churn-score band of the chosen month's scores (det.churn_score), with how many of the
-- scored subscribers churned in the following month where that month is loaded
with

score as (
    select * from det.churn_score
),

fct as (
    select * from dw.fct_subscriber_month
),

scored as (
    select
        score.subscriber_id,
        score.city_code,
        score.score,
        case
            when score.score >= 0.5 then '5: 0.50-1.00'
            when score.score >= 0.2 then '4: 0.20-0.50'
            when score.score >= 0.1 then '3: 0.10-0.20'
            when score.score >= 0.05 then '2: 0.05-0.10'
            else '1: 0.00-0.05'
        end as score_band
    from score
    where score.period = $period
        and (cast($city as varchar) is null or score.city_code = $city)
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

next_month as (
    select subscriber_id, churned_in_month from fct where month = $period + interval 1 month
),

final as (
    select
        scored.score_band,
        scored.city_code,
        count(*) as scored,
        sum(scored.score) as score_sum,
        sum(scored.score) / count(*) as average_score,
        count(*) filter (where next_month.churned_in_month) as churned_next_month,
        count(*) filter (where next_month.churned_in_month) / count(*) as churn_rate_next_month
    from scored
    left join next_month on next_month.subscriber_id = scored.subscriber_id
    group by all
)

select * from final
order by score_band, city_code
