-- grain: one delivered file in its owner's inbox
insert into ops.inbox_item (item_id, run_id, subscription_id, username, report_id, file_name, file_type, content, rows_delivered, created_at)
values (nextval('ops.inbox_item_id_seq'), $run_id, $subscription_id, $username, $report_id, $file_name, $file_type, $content, $rows_delivered, $now)
