-- grain: one row per active agent account whose regions cover a city of the campaign handed to the dialer (the agents
-- the demo's dialer simulator treats as logged in)
with

cities as (
    select distinct city_code from ops.dialer_campaign where campaign_id = $campaign_id and status = 'active'
),

agents as (
    select username, scope_province, coalesce(scope_cities, '') as scope_cities
    from ops.app_user
    where not disabled
      and list_contains(string_split(roles, ','), 'agent')
),

final as (
    select distinct agents.username
    from agents
    inner join cities
        on agents.scope_province or list_contains(string_split(agents.scope_cities, ','), cities.city_code)
)

select username from final order by username
