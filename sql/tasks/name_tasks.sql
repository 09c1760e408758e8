-- grain: one update per live task whose customer name is not the serving profile's: tasks just generated, tasks from
-- before names were kept on tasks, and customers renamed since (the call lists run after every build). the agent's
-- queue then reads ops.task alone. personal data, like the profile it is copied from.
update ops.task as task
set customer_name = profile.customer_name
from mart.subscriber_profile as profile
where profile.subscriber_id = task.subscriber_id
  and task.customer_name is distinct from profile.customer_name
  and task.status in ('open', 'assigned', 'in_progress', 'callback')
