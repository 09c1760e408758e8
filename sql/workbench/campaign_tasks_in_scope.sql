-- grain: one row: the campaign's tasks in the supervisor's regions (none: the campaign is not theirs)
select count(*) as tasks
from ops.task
where campaign_id = $campaign_id and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
