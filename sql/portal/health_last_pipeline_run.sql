-- grain: one row at most: how the pipeline's most recent finished run ended (daily, catch-up, manual or inbox)
with job_run as (
    select * from meta.job_run
    where job_name in ($daily, $inbox)
      and finished_at is not null
),

final as (
    select status
    from job_run
    order by finished_at desc, run_id desc
    limit 1
)

select * from final
