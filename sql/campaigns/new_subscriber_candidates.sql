-- grain: one row per subscriber of the caller's scope activated within the window (window_start .. window_end, both
-- included) and matching the callback settings (channels, cities, plans; null = any). the newest activations rank first: the
-- first weeks decide whether a line stays. churned lines come along and are excluded by the member rules.
with

subscribers as (
    select * from dw.dim_subscriber where is_current
),

final as (
    select
        subscriber_id,
        city_code,
        value_tier,
        round(1 - date_diff('day', activation_date, cast($window_end as date)) / ($days + 1.0), 6) as risk_score,
        'new_subscriber' as scenario_ids
    from subscribers
    where activation_date between cast($window_start as date) and cast($window_end as date)
        and ($channels is null or list_contains(string_split($channels, ','), channel_code))
        and ($cities is null or list_contains(string_split($cities, ','), city_code))
        and ($plans is null or list_contains(string_split($plans, ','), plan_code))
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
)

select * from final
