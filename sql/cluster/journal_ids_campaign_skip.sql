-- grain: one row: takes $count values of ops.campaign_id_seq, so that the next one comes after the highest replayed id
select max(nextval('ops.campaign_id_seq')) from range($count)
