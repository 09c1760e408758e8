-- grain: every unfinished task of the campaign in the supervisor's regions is closed
update ops.task
set status = 'closed',
    closed_at = $now,
    callback_at = null,
    version = version + 1,
    updated_at = $now
where campaign_id = $campaign_id
  and status not in ('done', 'closed')
  and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
