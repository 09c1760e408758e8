-- a run's summary as the names of its sentences and their values (sql/ddl/102_meta_job_run_summary.sql of the duckdb warehouse)
alter table meta.job_run add column if not exists summary varchar;
