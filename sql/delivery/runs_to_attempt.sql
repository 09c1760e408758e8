-- grain: one open run whose (next) attempt is due
with runs as (
    select * from ops.delivery_run
),

final as (
    select run_id, subscription_id
    from runs
    where status in ('pending', 'retrying') and next_attempt_at <= $now
)

select * from final order by run_id
