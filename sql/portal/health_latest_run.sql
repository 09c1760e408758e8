-- grain: one row at most: the most recent job run, finished or not
select run_id, job_name, trigger_kind, status, progress_pct
from meta.job_run
order by run_id desc
limit 1
