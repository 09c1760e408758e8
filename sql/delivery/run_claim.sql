-- grain: one open run whose attempt is due, leased to this attempt until $lease_until (conditional: a second node
-- running the job at once gets 0 rows and leaves it alone; a node that dies mid-attempt leaves it to the next run
-- after the lease)
update ops.delivery_run
set next_attempt_at = $lease_until
where run_id = $run_id and status in ('pending', 'retrying') and next_attempt_at <= $now
