-- grain: one throttle key started again (the right password) (postgresql only)
delete from ops.sign_in_counter where counter_key = $counter_key
