-- grain: the attempt a lease was reported with (a repeated report answers it again)
select attempt.attempt_id, attempt.task_id, attempt.contact_id, attempt.disposition, contact.outcome, task.status
from ops.dialer_attempt as attempt
inner join ops.contact as contact on contact.contact_id = attempt.contact_id
inner join ops.task as task on task.task_id = attempt.task_id
where attempt.lease_id = $lease_id
