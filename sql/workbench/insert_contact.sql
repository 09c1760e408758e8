-- grain: one call made on a task
insert into ops.contact (contact_id, subscriber_id, channel, contact_time, task_id, username, outcome, result,
    churn_reason_id, offer_id, notes, campaign_id)
values (nextval('ops.contact_id_seq'), $subscriber_id, 'call', $now, $task_id, $username, $outcome, $result,
    $churn_reason_id, $offer_id, $notes, $campaign_id)
returning contact_id
