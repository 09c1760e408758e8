-- grain: one status a work order entered
insert into ops.work_order_history (work_order_id, status, changed_by, changed_at, note)
values ($work_order_id, $status, $username, $now, $note)
