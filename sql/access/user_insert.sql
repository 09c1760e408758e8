-- grain: one new portal account (the account service checks that the username is free first)
insert into ops.app_user (
    username, display_name, password_hash, source, roles, scope_province, scope_cities, team_id,
    preferred_language, disabled, must_change_password, demo_seed, failed_attempts, created_at, updated_at)
values (
    $username, $display_name, $password_hash, $source, $roles, $scope_province, $scope_cities, $team_id,
    $preferred_language, false, $must_change_password, $demo_seed, 0, now(), now())
