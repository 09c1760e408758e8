-- grain: one new subscription
insert into ops.delivery_subscription (
    subscription_id, username, report_id, parameters_json, schedule_kind, schedule_time, schedule_day, cron, file_type,
    skip_if_empty, paused, deleted, next_due_at, created_at, updated_at)
values (
    nextval('ops.delivery_subscription_id_seq'), $username, $report_id, $parameters_json, $schedule_kind, $schedule_time,
    $schedule_day, $cron, $file_type, $skip_if_empty, false, false, $next_due_at, $now, $now)
returning subscription_id
