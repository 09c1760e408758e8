-- grain: one row per listed subscriber id ($ids, comma-separated) that is a current subscriber: the number to send to
select subscriber_id, msisdn
from dw.dim_subscriber
where is_current
    and subscriber_id in (select unnest(string_split($ids, ',')))
