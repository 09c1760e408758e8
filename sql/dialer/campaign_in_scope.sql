-- grain: one row per city of the campaign that has tasks in the supervisor's regions (none: not theirs to see)
select distinct city_code
from ops.task
where campaign_id = $campaign_id
  and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
order by city_code
