-- grain: $count new contact ids, one per message the gateway accepted in this run
select nextval('ops.contact_id_seq') as contact_id
from range(cast($count as bigint))
