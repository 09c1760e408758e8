-- grain: one send moved from pending_approval to rejected
update ops.sms_send set status = 'rejected', approved_by = $username, approved_at = $now
where send_id = $send_id and status = 'pending_approval'
