-- grain: one row per listed subscriber id that is a current subscriber within the scope
select subscriber_id from dw.dim_subscriber
where is_current
    and subscriber_id in (select unnest(string_split($ids, ',')))
    and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
