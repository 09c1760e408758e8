-- grain: one subscription of its owner
update ops.delivery_subscription
set paused = $paused, updated_at = now()
where subscription_id = $subscription_id and username = $username and not deleted
