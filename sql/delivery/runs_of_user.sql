-- grain: one run of the user's subscriptions, newest first
with runs as (
    select * from ops.delivery_run
),

final as (
    select run_id as RunId, subscription_id as SubscriptionId, username as Username, report_id as ReportId,
           due_at as DueAt, status as Status, attempts as Attempts, next_attempt_at as NextAttemptAt, error as Error,
           rows_delivered as RowsDelivered, mailed as Mailed, created_at as CreatedAt, finished_at as FinishedAt
    from runs
    where username = $username
)

select * from final order by RunId desc limit $limit
