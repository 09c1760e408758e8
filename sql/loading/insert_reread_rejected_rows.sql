-- grain: one row per rejected line of a file staged through the typed read: the lines read again as text (reread) with the
-- typed read's reason for a later row of a key, their text as delivered (delivered_text), and the records the reader could not split
insert into meta.rejected_row (load_id, extract, file_name, line_number, reason, raw_line)
with duplicate as (
    select _line, _reason from typed_bad
    where _line not in (select _line from check_lines)
)

select $loadId, $extract, $fileName, reread._line, coalesce(duplicate._reason, reread._reason), delivered_text.raw_line
from reread
left join duplicate on duplicate._line = reread._line
left join delivered_text on delivered_text.line = reread._line
union all
select $loadId, $extract, $fileName, line, reason, raw_line
from typed_rejects
where not cast_error
