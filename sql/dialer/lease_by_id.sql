-- grain: one lease by id, with whether another live lease holds its task now
select lease.lease_id, lease.task_id, lease.campaign_id, lease.integration, lease.agent_username, lease.expires_at, lease.reported_at,
    exists (
        select 1 from ops.dialer_lease as other
        where other.task_id = lease.task_id and other.lease_id <> lease.lease_id
          and other.reported_at is null and other.expires_at > $now
    ) as taken_since
from ops.dialer_lease as lease
where lease.lease_id = $lease_id
