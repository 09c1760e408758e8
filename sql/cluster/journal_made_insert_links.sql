-- grain: one new ops.task_link row per journaled link whose campaign has none for the subscriber yet
-- (cluster/journal_made_tables.sql)
-- (only into a campaign this file has: a campaign left out by cluster/journal_made_taken.sql takes its rows with it)
insert into ops.task_link (task_id, campaign_id, subscriber_id, scenario_ids, period, linked_at)
select made.task_id, made.campaign_id, made.subscriber_id, made.scenario_ids, made.period, made.linked_at
from journal_made_link as made
where not exists (
    select 1 from ops.task_link as link
    where link.campaign_id = made.campaign_id and link.subscriber_id = made.subscriber_id
)
  and exists (select 1 from ops.campaign as campaign where campaign.campaign_id = made.campaign_id)
