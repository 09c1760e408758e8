-- grain: one row: an active portal account with the agent role and its region scope (a dialer serves and reports
-- only tasks of the agent's regions)
select username, scope_province, coalesce(scope_cities, '') as scope_cities
from ops.app_user
where username = $username
  and not disabled
  and list_contains(string_split(roles, ','), 'agent')
