-- grain: the campaign whose status a supervisor's change set on the writer, set again after its tasks were replayed
-- (AgentJournal.Replay), as workbench/campaign_status.sql sets it: closed once no task is unfinished, else the status
-- given. changes nothing when the campaign already has that status
update ops.campaign
set status = next.status
from (
    select case
        when not exists (select 1 from ops.task where campaign_id = $campaign_id and status not in ('done', 'closed')) then 'closed'
        else $status
    end as status
) as next
where ops.campaign.campaign_id = $campaign_id
  and ops.campaign.status <> next.status
