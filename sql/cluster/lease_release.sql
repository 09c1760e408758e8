-- grain: the writer lease given up by this instance when it stops, so another node takes over at once
update ops.writer_lease
set expires_at = (clock_timestamp() at time zone 'utc')
where lease_name = 'writer' and instance = $instance
