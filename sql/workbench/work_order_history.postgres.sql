-- grain: one row per status the work order entered, in order (insertion order within the same instant: history_id,
-- where duckdb has rowid)
select work_order_id, status, changed_by, changed_at, note
from ops.work_order_history
where work_order_id = $work_order_id
order by changed_at, history_id
