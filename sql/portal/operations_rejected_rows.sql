-- grain: one row per rejected line of one delivered file: line and reason only, never raw_line (it can hold personal data); one page
with rejected_row as (
    select * from meta.rejected_row
    where load_id = $load_id
),

final as (
    select
        line_number,
        reason,
        count(*) over () as total_count
    from rejected_row
)

select * from final
order by line_number nulls first, reason
limit $page_size offset $skip
