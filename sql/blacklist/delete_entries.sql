-- grain: the subscriber's blacklist entries of one scope, of every source
delete from ops.blacklist
where subscriber_id = $subscriber_id and scope = $scope
