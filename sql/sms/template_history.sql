-- grain: one row per version of a template in one language, newest first
select template_id, language, version, name, body, active, created_at, created_by
from ops.sms_template
where template_id = $template_id and language = $language
order by version desc
