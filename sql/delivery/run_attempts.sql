-- grain: one run: how many attempts it has had
select attempts from ops.delivery_run where run_id = $run_id
