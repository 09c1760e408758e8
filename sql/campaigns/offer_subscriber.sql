-- grain: one number: 1 when the subscriber exists (current version) within the viewer's scope, else 0
select count(*) > 0
from dw.dim_subscriber
where subscriber_id = $subscriber_id
    and is_current
    and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
