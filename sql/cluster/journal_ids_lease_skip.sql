-- grain: one row: takes $count values of ops.dialer_lease_id_seq, so that the next one comes after the highest replayed id
select max(nextval('ops.dialer_lease_id_seq')) from range($count)
