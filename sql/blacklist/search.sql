-- grain: one row per blacklist entry matching the prefix, newest first, one page ($page_size from $page_offset);
-- expired entries on request. the reader's scope is the subscriber's current city in the warehouse
-- (blacklist/subscriber_cities.sql), applied by the caller to each page
select
    subscriber_id,
    scope,
    reason,
    source,
    valid_until,
    created_at,
    created_by
from ops.blacklist
where ($prefix is null or starts_with(subscriber_id, $prefix))
    and ($include_expired or valid_until is null or valid_until >= $today)
order by created_at desc, subscriber_id, scope
limit $page_size offset $page_offset
