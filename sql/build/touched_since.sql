-- grain: one row per extract and business date whose staging rows the loads after the last build changed: a file
-- loaded rows or replaced an earlier delivery of its date (identical re-deliveries, conflicts and unknown files did not)
select
    extract,
    business_date,
    bool_or(replaced_rows > 0) as replaced
from meta.load_audit
where load_id > $from_load_id
    and load_id <= $to_load_id
    and business_date is not null
    and (rows_loaded > 0 or replaced_rows > 0)
group by all
order by all
