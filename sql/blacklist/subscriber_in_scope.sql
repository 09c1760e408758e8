-- grain: one row: whether the subscriber is current and within the scope (0 or 1)
select count(*) from dw.dim_subscriber
where is_current and subscriber_id = $subscriber_id
    and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
