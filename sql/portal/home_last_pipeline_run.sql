-- grain: one row at most: the most recent run of the pipeline jobs named in $job_names (comma-separated)
with job_run as (
    select * from meta.job_run
    where list_contains(string_split($job_names, ','), job_name)
),

final as (
    select
        run_id,
        job_name,
        trigger_kind,
        status,
        started_at,
        finished_at,
        progress_pct,
        stage,
        message
    from job_run
    order by run_id desc
    limit 1
)

select * from final
