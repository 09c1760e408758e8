-- grain: schema only. the order in which a work order's statuses were entered within the same instant: duckdb reads
-- it from rowid, postgresql from this number (sql/workbench/work_order_history.postgres.sql)
alter table ops.work_order_history add column if not exists history_id bigserial;
