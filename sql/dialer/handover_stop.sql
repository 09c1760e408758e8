-- grain: the campaign's active handover rows of the given cities: stopped (leases already given out may still report)
update ops.dialer_campaign
set status = 'stopped', stopped_by = $username, stopped_at = $now
where campaign_id = $campaign_id
  and status = 'active'
  and list_contains(string_split($cities, ','), city_code)
