-- grain: the one lease a disposition reports, once
update ops.dialer_lease
set reported_at = $now
where lease_id = $lease_id
  and reported_at is null
