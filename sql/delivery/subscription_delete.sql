-- grain: one subscription of its owner (kept, marked deleted: its runs and inbox items still name it)
update ops.delivery_subscription
set deleted = true, updated_at = now()
where subscription_id = $subscription_id and username = $username and not deleted
