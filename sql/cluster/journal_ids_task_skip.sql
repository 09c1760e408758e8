-- grain: one row: takes $count values of ops.task_id_seq, so that the next one comes after the highest replayed id
select max(nextval('ops.task_id_seq')) from range($count)
