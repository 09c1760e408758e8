-- grain: one row per distinct rejection reason of the file being loaded (temp tables bad and parse_rejects), the first few by the line they first occur on
with rejected as (
    select _line as line, _reason as reason from bad
    union all
    select line, reason from parse_rejects
),

reasons as (
    select reason, min(line) as first_line
    from rejected
    group by reason
)

select reason
from reasons
order by first_line, reason
limit $limit
