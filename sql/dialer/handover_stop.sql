-- grain: the campaign's active handover rows of the given cities: stopped (leases already given out may still report),
-- returned as updated (the agents' journal with several nodes)
update ops.dialer_campaign
set status = 'stopped', stopped_by = $username, stopped_at = $now
where campaign_id = $campaign_id
  and status = 'active'
  and list_contains(string_split($cities, ','), city_code)
returning campaign_id, city_code, mode, status, handed_by, handed_at, stopped_by, stopped_at
