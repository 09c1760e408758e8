-- grain: one row per template and language: its newest version, the one in use
with

templates as (
    select
        *,
        row_number() over (partition by template_id, language order by version desc) as newest_first
    from ops.sms_template
),

final as (
    select template_id, language, version, name, body, active, created_at, created_by
    from templates
    where newest_first = 1
)

select * from final
order by template_id, language
