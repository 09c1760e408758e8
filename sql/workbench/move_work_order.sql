-- grain: the one work order whose status changes, only from the status and version the user saw
update ops.work_order
set status = $to_status,
    approved_by = case when $approving then $username else approved_by end,
    updated_by = $username,
    updated_at = $now,
    version = version + 1
where work_order_id = $work_order_id
  and version = $version
  and status = $from_status
