-- grain: one row per feature of one churn model, most important first
select feature as Feature, importance as Importance, rank as Rank
from det.churn_model_feature
where model_id = $model_id
order by rank
limit $top
