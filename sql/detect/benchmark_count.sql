-- grain: one row: how many subscribers a detector flags, without writing them (the benchmark's query-only time).
select count(*) as flagged
from (
    /*detector*/
) as detected
