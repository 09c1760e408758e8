-- grain: one row: the campaign's unassigned tasks in the supervisor's regions
select count(*) as unassigned
from ops.task
where campaign_id = $campaign_id and status = 'open' and assigned_to is null
  and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
