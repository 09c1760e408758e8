-- grain: one active subscription whose next delivery time has come
with subscriptions as (
    select * from ops.delivery_subscription
),

final as (
    select subscription_id as SubscriptionId, username as Username, report_id as ReportId, parameters_json as ParametersJson,
           schedule_kind as ScheduleKind, schedule_time as ScheduleTime, schedule_day as ScheduleDay, cron as Cron,
           file_type as FileType, skip_if_empty as SkipIfEmpty, paused as Paused, next_due_at as NextDueAt,
           created_at as CreatedAt
    from subscriptions
    where not deleted and not paused and next_due_at <= $now
)

select * from final order by SubscriptionId
