-- grain: one subscription, moved from the due time read to its next due time; conditional, so when two nodes run the
-- delivery job at once only one opens the run (0 rows: another did)
update ops.delivery_subscription
set next_due_at = $next_due_at, updated_at = $now
where subscription_id = $subscription_id and next_due_at = $due_at
