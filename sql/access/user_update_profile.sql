-- grain: one account's name, roles, scope, team and language
update ops.app_user
set display_name = $display_name,
    roles = $roles,
    scope_province = $scope_province,
    scope_cities = $scope_cities,
    team_id = $team_id,
    preferred_language = $preferred_language,
    updated_at = now()
where username = $username
