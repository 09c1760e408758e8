-- grain: one subscription, moved to its next due time
update ops.delivery_subscription
set next_due_at = $next_due_at, updated_at = $now
where subscription_id = $subscription_id
