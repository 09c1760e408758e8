-- grain: the lease a journaled attempt reported, marked reported at the attempt's time once the attempt is there
update ops.dialer_lease
set reported_at = $reported_at
where lease_id = $lease_id
  and reported_at is null
  and exists (select 1 from ops.dialer_attempt where attempt_id = $attempt_id)
