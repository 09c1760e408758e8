-- grain: one new agent per account manager named in the subscriber data and not yet an agent, in the account-manager
-- team of the city where most of their subscribers live (managers appear and change with the subscription extract),
-- named as the teams file names them ($names: "id=name;id=name"), by their id while the file does not
insert into ops.agent (username, display_name, team_id, capacity, account_manager_id, active)

with

managed as (
    select account_manager_id, mode(city_code) as city_code
    from dw.dim_subscriber
    where is_current and account_manager_id is not null
    group by account_manager_id
),

teams as (
    select * from ops.team where kind = 'account_managers'
),

named as (
    select split_part(pair, '=', 1) as account_manager_id, split_part(pair, '=', 2) as display_name
    from (select unnest(string_split($names, ';')) as pair)
    where pair like '%=%'
),

existing as (
    select account_manager_id from ops.agent where account_manager_id is not null
),

final as (
    select
        'am.' || lower(managed.account_manager_id) as username,
        coalesce(named.display_name, managed.account_manager_id) as display_name,
        teams.team_id,
        coalesce(teams.agent_capacity, $default_capacity) as capacity,
        managed.account_manager_id,
        true as active
    from managed
    inner join teams
        on teams.city_code = managed.city_code
    left join named
        on named.account_manager_id = managed.account_manager_id
    where managed.account_manager_id not in (select account_manager_id from existing)
    qualify row_number() over (partition by managed.account_manager_id order by teams.team_id) = 1
)

select * from final
