-- grain: one row: the warehouse's probable reasons for a call to the subscriber (mart.subscriber_profile), as json;
-- read by key when a task's reasons are shown without its 360.
select reasons_json
from mart.subscriber_profile
where subscriber_id = $subscriber_id
