-- grain: at most one row: the newest imported handset of a subscriber within the scope
select handset.subscriber_id, handset.brand, handset.model, handset.imei_tac, handset.observed_on
from ops.handset as handset
inner join dw.dim_subscriber as subscribers
    on subscribers.subscriber_id = handset.subscriber_id and subscribers.is_current
where handset.subscriber_id = $subscriber_id
    and ($scope_all or list_contains(string_split($scope_cities, ','), subscribers.city_code))
order by handset.observed_on desc, handset.imported_at desc
limit 1
