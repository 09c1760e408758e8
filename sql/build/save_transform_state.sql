-- grain: one row per model refreshed by a build: replaces its fingerprint
delete from meta.transform_state where model = $model;
insert into meta.transform_state (model, file_name, sql_hash, build_id, built_at)
values ($model, $file_name, $sql_hash, $build_id, now());
