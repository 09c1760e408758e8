-- grain: each requested task (id and the version the supervisor saw) that is still assignable gets the agent
-- (or, with no agent, goes back to the unassigned pool of its team)
update ops.task
set assigned_to = $username,
    team_id = coalesce($team_id, team_id),
    status = case when $username is null then 'open' else 'assigned' end,
    version = version + 1,
    updated_at = $now
from (
    select
        cast(unnest(string_split($task_ids, ',')) as bigint) as ref_task_id,
        cast(unnest(string_split($versions, ',')) as integer) as ref_version
) as ref
where task_id = ref.ref_task_id
  and version = ref.ref_version
  and status in ('open', 'assigned', 'callback')
