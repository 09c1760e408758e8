-- grain: every task of the campaign in the supervisor's regions whose subscriber was never reached, not being
-- called right now, goes back to the unassigned pool of its team; attempts are kept (the maximum still counts)
update ops.task
set status = 'open',
    assigned_to = null,
    callback_at = null,
    closed_at = null,
    version = version + 1,
    updated_at = $now
where campaign_id = $campaign_id
  and status in ('assigned', 'callback', 'closed')
  and result is null
  and task_id not in (select task_id from ops.contact where task_id is not null and outcome = 'reached')
  and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
