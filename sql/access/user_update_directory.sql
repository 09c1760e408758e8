-- grain: one directory account refreshed at sign-in: roles and scope follow the directory groups
update ops.app_user
set display_name = $display_name,
    roles = $roles,
    scope_province = $scope_province,
    scope_cities = $scope_cities,
    team_id = $team_id,
    updated_at = case
        when roles is distinct from $roles or scope_province is distinct from $scope_province
            or scope_cities is distinct from $scope_cities or team_id is distinct from $team_id
        then now() else updated_at end
where username = $username
