-- grain: one row per blacklist entry of a subscriber in the reader's scope, newest first; expired entries on request
with

subscribers as (
    select subscriber_id, city_code
    from dw.dim_subscriber
    where is_current
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

entries as (
    select * from ops.blacklist
    where ($prefix is null or starts_with(subscriber_id, $prefix))
        and ($include_expired or valid_until is null or valid_until >= $today)
),

final as (
    select
        entries.subscriber_id,
        subscribers.city_code,
        entries.scope,
        entries.reason,
        entries.source,
        entries.valid_until,
        entries.created_at,
        entries.created_by
    from entries
    inner join subscribers
        on subscribers.subscriber_id = entries.subscriber_id
)

select * from final
order by created_at desc, subscriber_id
limit $limit
