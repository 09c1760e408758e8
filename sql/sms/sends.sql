-- grain: one row per send request, newest first
select send_id, template_id, language, template_version, audience_kind, audience_ref, scope_all, scope_cities,
       recipients, status, requested_by, requested_at, approved_by, approved_at
from ops.sms_send
where ($send_id is null or send_id = $send_id)
order by send_id desc
