-- grain: one row per listed subscriber id ($ids, comma-separated) that is a current subscriber within the scope,
-- with the city it belongs to now
select subscriber_id, city_code
from dw.dim_subscriber
where is_current
    and subscriber_id in (select unnest(string_split($ids, ',')))
    and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
