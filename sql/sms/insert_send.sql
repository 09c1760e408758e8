-- grain: one new send request
insert into ops.sms_send (send_id, template_id, language, template_version, audience_kind, audience_ref, scope_all,
    scope_cities, recipients, status, requested_by, requested_at, approved_by, approved_at)
values ($send_id, $template_id, $language, $template_version, $audience_kind, $audience_ref, $scope_all,
    $scope_cities, $recipients, $status, $requested_by, $now, $approved_by, $approved_at)
