-- grain: one row per month of the feature mart that the given model has not scored as the month stands now: never
-- scored by it, or the month's subscriber count changed since (a corrected delivery). oldest first.
with

features as (
    select month, count(*) as subscribers
    from mart.mart_subscriber_features
    where status <> 'churned'
    group by month
),

scored as (
    select period, count(*) as scored
    from det.churn_score
    where model_id = $model_id
    group by period
),

final as (
    select features.month
    from features
    left join scored
        on scored.period = features.month
    where scored.scored is distinct from features.subscribers
)

select * from final
order by month
