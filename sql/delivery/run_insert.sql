-- grain: one run of a subscription for one due time
insert into ops.delivery_run (run_id, subscription_id, username, report_id, due_at, status, attempts, next_attempt_at, created_at)
values (nextval('ops.delivery_run_id_seq'), $subscription_id, $username, $report_id, $due_at, 'pending', 0, $now, $now)
