-- grain: one new work order dispatched from a task
insert into ops.work_order (work_order_id, task_id, subscriber_id, city_code, department, description, amount, status,
    created_by, created_at, approved_by, updated_by, updated_at, version)
values (nextval('ops.work_order_id_seq'), $task_id, $subscriber_id, $city_code, $department, $description, $amount,
    $status, $username, $now, null, $username, $now, 0)
returning work_order_id
