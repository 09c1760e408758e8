-- grain: each requested task (id and the version the supervisor saw) not finished gets the due date and/or priority
update ops.task
set due_date = coalesce($due_date, due_date),
    priority = case when $clear_priority then null else coalesce($priority, priority) end,
    version = version + 1,
    updated_at = $now
from (
    select
        cast(unnest(string_split($task_ids, ',')) as bigint) as ref_task_id,
        cast(unnest(string_split($versions, ',')) as integer) as ref_version
) as ref
where task_id = ref.ref_task_id
  and version = ref.ref_version
  and status not in ('done', 'closed')
