-- grain: one new blacklist entry made in the portal
insert into ops.blacklist (subscriber_id, scope, reason, source, valid_until, created_at, created_by)
values ($subscriber_id, $scope, $reason, 'ui', $valid_until, $now, $username)
