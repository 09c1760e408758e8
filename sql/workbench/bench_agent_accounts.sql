-- grain: one row per benchmark agent (ra benchmark agents --setup, on a warehouse copy only) without a portal account yet:
-- the account is made an agent of the agent's city and team, so that the benchmark signs in like anyone else.
select agent.username, team.city_code, agent.team_id
from ops.agent as agent
inner join ops.team as team
    on team.team_id = agent.team_id
where agent.username like 'bench.%'
  and not exists (select 1 from ops.app_user as account where account.username = agent.username)
order by agent.username
