-- grain: one row per city handed over, returned as inserted (the agents' journal with several nodes)
insert into ops.dialer_campaign (campaign_id, city_code, mode, status, handed_by, handed_at)
select $campaign_id, unnest(string_split($cities, ',')), $mode, 'active', $username, $now
returning campaign_id, city_code, mode, status, handed_by, handed_at, stopped_by, stopped_at
