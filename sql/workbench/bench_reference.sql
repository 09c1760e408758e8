-- grain: one row: the open tasks of one city -- the benchmark's reference, a plain scoped count over ops.task
select count(*) as open_tasks
from ops.task
where ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
  and status in ('open', 'assigned', 'in_progress', 'callback')
