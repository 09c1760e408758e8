-- grain: one new churn model row
insert into det.churn_model values (
    $model_id, $feature_set, $algorithm, $baseline_algorithm, $split, $train_from, $train_to, $eval_from, $eval_to,
    $backtest_train_to, $train_rows, $train_positives, $eval_rows, $eval_positives, $auc, $baseline_auc,
    $lift_top_decile, $training_seconds, $encoder_json, $model_path, now(), $active, $sample_share)
