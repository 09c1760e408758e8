-- grain: the subscriber of one task in the requester's scope (an agent's SMS instead of a call)
select subscriber_id, city_code
from ops.task
where task_id = $task_id
    and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
