-- grain: schema changes only: the schema of held replacements (one table per extract, created by the loader as needed)
-- and the process that owns a job run, so a run left 'running' by a killed process is recognised at the next start
create schema if not exists hold;
alter table meta.job_run add column if not exists pid integer;
