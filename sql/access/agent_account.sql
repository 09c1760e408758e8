-- grain: one row: an active portal account with the agent role, and its region scope (the CTI screen pop shows only
-- customers there; a dialer serves and reports only tasks of the agent's regions). read from the operational data
select username, scope_province, coalesce(scope_cities, '') as scope_cities
from ops.app_user
where username = $username
  and not disabled
  and list_contains(string_split(roles, ','), 'agent')
