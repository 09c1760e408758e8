-- grain: one row per import file: rows in, accepted, rejected
insert into ops.import_run (import_id, kind, file_name, rows_in, accepted, rejected, imported_at, imported_by)
values ($import_id, $kind, $file_name, $rows_in, $accepted, $rejected, $now, $username)
