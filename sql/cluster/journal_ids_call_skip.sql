-- grain: one row: takes $count values of ops.inbound_call_id_seq, so that the next one comes after the highest replayed id
select max(nextval('ops.inbound_call_id_seq')) from range($count)
