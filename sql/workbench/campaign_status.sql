-- grain: the one campaign whose status follows its tasks: closed once none is unfinished, else the given status
update ops.campaign
set status = case
        when not exists (select 1 from ops.task where campaign_id = $campaign_id and status not in ('done', 'closed')) then 'closed'
        else $status
    end
where campaign_id = $campaign_id
