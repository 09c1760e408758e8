-- grain: one row: how well the given model ranks the churners of the labelled months after its training window, from
-- the scores it stored for them (out of time: the model never saw these labels). ROC AUC as the Mann-Whitney statistic,
-- tied scores ranked by their average; null when those months hold only one class.
with

labelled as (
    select subscriber_id, month, churned_next_month as churned
    from mart.mart_subscriber_features
    where churned_next_month is not null
        and month > $train_to
),

scored as (
    select scores.score, labelled.churned, labelled.month
    from det.churn_score as scores
    join labelled
        on labelled.subscriber_id = scores.subscriber_id
        and labelled.month = scores.period
    where scores.model_id = $model_id
),

ranked as (
    select
        churned,
        month,
        rank() over (order by score) + (count(*) over (partition by score) - 1) / 2 as score_rank
    from scored
),

counted as (
    select
        count(*) as rows,
        count(*) filter (where churned = 1) as churners,
        sum(score_rank) filter (where churned = 1) as churner_ranks,
        min(month) as from_month,
        max(month) as to_month
    from ranked
),

final as (
    select
        rows as Rows,
        churners as Churners,
        from_month as FromMonth,
        to_month as ToMonth,
        case
            when churners > 0 and rows > churners
                then cast((churner_ranks - churners * (churners + 1) / 2) / (churners * (rows - churners)) as double)
        end as Auc
    from counted
)

select * from final
