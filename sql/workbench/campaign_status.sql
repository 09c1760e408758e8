-- grain: the one campaign whose status follows its tasks: closed once none is unfinished, else the given status.
-- changes nothing when the campaign has that status already (a journal's replay counts it as already there)
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
