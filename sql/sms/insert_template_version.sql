-- grain: one new version of a template in one language: the next number after the newest (1 for a new template)
insert into ops.sms_template (template_id, language, version, name, body, active, created_at, created_by)

with

versions as (
    select coalesce(max(version), 0) as newest
    from ops.sms_template
    where template_id = $template_id and language = $language
),

final as (
    select $template_id, $language, versions.newest + 1, $name, $body, $active, now(), $username
    from versions
)

select * from final
returning version
