-- grain: one send moved from pending_approval to approved (conditional: approved once)
update ops.sms_send set status = 'approved', approved_by = $username, approved_at = $now
where send_id = $send_id and status = 'pending_approval'
