-- grain: one row per load from the oldest listed on and kind of rejection reason (values and line numbers masked), the three most frequent per load
with rejected_row as (
    select load_id, reason from meta.rejected_row
    where load_id >= $oldest_listed
),

kinds as (
    select
        load_id,
        regexp_replace(
            regexp_replace(
                regexp_replace(reason, '''[^'']*''', '''…''', 'g'),
                '(key [a-z0-9_]+)=[^,;()]*', '\1=…', 'g'),
            '(line|is) [0-9][0-9,]*', '\1 …', 'g') as reason,
        count(*) as rows
    from rejected_row
    group by all
),

ranked as (
    select *, row_number() over (partition by load_id order by rows desc, reason) as rank
    from kinds
)

select load_id as LoadId, reason as Reason, rows as Rows
from ranked
where rank <= 3
order by load_id desc, rank
