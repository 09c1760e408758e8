-- grain: one update per live task without a customer name (those just generated, and any from before names were kept
-- on tasks): the name from the serving profile, so that the agent's queue reads ops.task alone. personal data, like
-- the profile it is copied from; the 360 always shows the profile's current name.
update ops.task as task
set customer_name = profile.customer_name
from mart.subscriber_profile as profile
where profile.subscriber_id = task.subscriber_id
  and task.customer_name is null
  and profile.customer_name is not null
  and task.status in ('open', 'assigned', 'in_progress', 'callback')
