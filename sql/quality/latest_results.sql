-- grain: one row per extract, check and column: the most recent result
select checked_at as CheckedAt, load_id as LoadId, extract as Extract, check_name as CheckName,
       column_name as ColumnName, status as Status, failing_rows as FailingRows, detail as Detail
from meta.dq_result
qualify row_number() over (partition by extract, check_name, coalesce(column_name, '') order by checked_at desc) = 1
order by case status when 'fail' then 0 when 'warn' then 1 else 2 end, extract, check_name, column_name
