-- grain: one row per trained churn model, newest first; optionally one feature set, one model or the active one only
with

models as (
    select * from det.churn_model
),

final as (
    select
        model_id as ModelId, feature_set as FeatureSet, algorithm as Algorithm, baseline_algorithm as BaselineAlgorithm,
        split as Split, train_from as TrainFrom, train_to as TrainTo, eval_from as EvalFrom, eval_to as EvalTo,
        backtest_train_to as BacktestTrainTo, train_rows as TrainRows, train_positives as TrainPositives,
        eval_rows as EvalRows, eval_positives as EvalPositives, auc as Auc, baseline_auc as BaselineAuc,
        lift_top_decile as LiftTopDecile, training_seconds as TrainingSeconds, encoder_json as EncoderJson,
        model_path as ModelPath, trained_at as TrainedAt, active as Active, coalesce(sample_share, 1) as SampleShare
    from models
    where ($feature_set is null or feature_set = $feature_set)
        and ($model_id is null or model_id = $model_id)
        and (not $active_only or active)
)

select * from final
order by TrainedAt desc, ModelId desc
