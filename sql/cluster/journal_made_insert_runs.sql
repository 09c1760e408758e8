-- grain: one new ops.campaign_run row per journaled run not there yet (a campaign's run by its time)
-- (cluster/journal_made_tables.sql)
-- (only into a campaign this file has: a campaign left out by cluster/journal_made_taken.sql takes its rows with it)
insert into ops.campaign_run (campaign_id, run_at, run_by, settings_json, added_members, added_tasks)
select made.campaign_id, made.run_at, made.run_by, made.settings_json, made.added_members, made.added_tasks
from journal_made_run as made
where not exists (
    select 1 from ops.campaign_run as run
    where run.campaign_id = made.campaign_id and run.run_at = made.run_at
)
  and exists (select 1 from ops.campaign as campaign where campaign.campaign_id = made.campaign_id)
