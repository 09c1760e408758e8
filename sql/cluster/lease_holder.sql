-- grain: one row at most: the node holding the writer lease and until when
select holder, instance, term, acquired_at, expires_at, expires_at > clock_timestamp() as live
from ops.writer_lease
where lease_name = 'writer'
