-- grain: one row per city of the campaign handed to the dialer and still active, with its mode
select city_code, mode
from ops.dialer_campaign
where campaign_id = $campaign_id
  and status = 'active'
order by city_code
