-- grain: one run of a subscription for one due time; the delivery job attempts it from next_attempt_at on
insert into ops.delivery_run (run_id, subscription_id, username, report_id, due_at, status, attempts, next_attempt_at, created_at)
values (nextval('ops.delivery_run_id_seq'), $subscription_id, $username, $report_id, $due_at, 'pending', 0, $next_attempt_at, $now)
returning run_id
