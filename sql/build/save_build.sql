-- grain: one row per build
insert into meta.build (build_id, kind, from_month, from_load_id, to_load_id, started_at, finished_at,
    models_refreshed, models_unchanged, duration_ms)
values ($build_id, $kind, $from_month, $from_load_id, $to_load_id, $started_at, now(),
    $models_refreshed, $models_unchanged, $duration_ms)
