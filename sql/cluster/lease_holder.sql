-- grain: one row at most: the node holding the writer lease and until when
select holder as Holder, instance as Instance, term as Term, acquired_at as AcquiredAt, expires_at as ExpiresAt,
       expires_at > (clock_timestamp() at time zone 'utc') as Live
from ops.writer_lease
where lease_name = 'writer'
