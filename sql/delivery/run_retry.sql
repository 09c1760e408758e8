-- grain: one run that failed and waits for its next attempt
update ops.delivery_run
set status = 'retrying', attempts = $attempts, error = $error, next_attempt_at = $next_attempt_at
where run_id = $run_id
