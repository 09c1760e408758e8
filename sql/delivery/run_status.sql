-- grain: one run's status
select status from ops.delivery_run where run_id = $run_id
