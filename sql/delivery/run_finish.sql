-- grain: one run that ended: delivered, skipped or failed
update ops.delivery_run
set status = $status, attempts = $attempts, error = $error, rows_delivered = $rows_delivered, mailed = $mailed,
    next_attempt_at = null, finished_at = now()
where run_id = $run_id
