-- grain: one row per model a build refreshed
insert into meta.build_model (build_id, model, file_name, mode, reason, cause, scope_kind, scope_count, scope_detail,
    rows_deleted, rows_inserted, duration_ms)
values ($build_id, $model, $file_name, $mode, $reason, $cause, $scope_kind, $scope_count, $scope_detail,
    $rows_deleted, $rows_inserted, $duration_ms)
