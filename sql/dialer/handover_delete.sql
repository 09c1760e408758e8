-- grain: the campaign's handover rows of the given cities (replaced by a new handover)
delete from ops.dialer_campaign
where campaign_id = $campaign_id
  and list_contains(string_split($cities, ','), city_code)
