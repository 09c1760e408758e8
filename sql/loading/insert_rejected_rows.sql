-- grain: one row per rejected line of the file being loaded: the rows that failed a check (bad) with their text as delivered
-- (delivered_text), and the records the reader could not split (parse_rejects)
insert into meta.rejected_row (load_id, extract, file_name, line_number, reason, raw_line)
select $loadId, $extract, $fileName, bad._line, bad._reason, delivered_text.raw_line
from bad
left join delivered_text on delivered_text.line = bad._line
union all
select $loadId, $extract, $fileName, line, reason, raw_line
from parse_rejects
