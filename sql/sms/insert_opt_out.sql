-- grain: one new sms opt-out entry, unless one is already in force for the subscriber
insert into ops.blacklist (subscriber_id, scope, reason, source, valid_until, created_at, created_by)
select $subscriber_id, 'sms', 'opt_out', 'sms_reply', null, $now, 'sms_reply'
where not exists (
    select 1 from ops.blacklist
    where subscriber_id = $subscriber_id and scope in ('sms', 'both') and reason = 'opt_out'
        and (valid_until is null or valid_until >= cast($now as date)))
