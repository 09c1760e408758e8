-- grain: one row per current subscriber with the number as msisdn within the scope (dw.subscriber_search_key is in key
-- order: an exact key reads a row group). at most 3: one means the customer, more means ambiguous.
select distinct subscriber_id
from dw.subscriber_search_key
where key_value = $number
  and key_kind = 'msisdn'
  and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
limit 3
