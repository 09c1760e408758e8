-- grain: one row. the warehouse build a publication was made from: the as-of date of the facts and the newest
-- file loaded into it.
select
    (select max(as_of_date) from dw.as_of) as AsOfDate,
    max(load_id) as LastLoadId,
    max(finished_at) as LastLoadAt,
    count(*) as CurrentFiles
from meta.load_audit
where status = 'loaded'
