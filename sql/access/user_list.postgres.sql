-- grain: one row per portal account. on postgresql the agent records (team, capacity) are not beside the accounts:
-- the account service adds them by username from the warehouse file, where the teams and tasks are
select
    username,
    display_name,
    password_hash,
    source,
    roles,
    scope_province,
    scope_cities,
    team_id,
    cast(null as integer) as agent_capacity,
    preferred_language,
    disabled,
    must_change_password,
    demo_seed,
    last_sign_in_at,
    created_at,
    updated_at
from ops.app_user
where cast($username as varchar) is null or username = $username
order by username
