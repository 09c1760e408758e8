-- grain: one new ops.campaign_segment row per journaled special campaign whose segment is not there yet
-- (cluster/journal_made_tables.sql)
insert into ops.campaign_segment (campaign_id, definition_json, feature_month, scope_all, scope_cities)
select made.campaign_id, made.segment_json, made.feature_month, made.scope_all, made.scope_cities
from journal_made_campaign as made
where made.segment_json is not null
  and not exists (select 1 from ops.campaign_segment as segment where segment.campaign_id = made.campaign_id)
