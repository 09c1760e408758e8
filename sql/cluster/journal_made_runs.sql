-- grain: one row per generation run of the campaign kept in the current transaction (run_at is the transaction's time),
-- for the agents' journal (AgentJournal.Read)
select campaign_id as CampaignId, run_at as RunAt, run_by as RunBy, settings_json as SettingsJson, added_members as AddedMembers,
       added_tasks as AddedTasks
from ops.campaign_run
where campaign_id = $campaign_id
  and run_at = cast(now() as timestamp)
