-- grain: one row per benchmark agent with its city, the cities taken in turn (agent 1 of every city first)
select agent.username, team.city_code
from ops.agent as agent
inner join ops.team as team
    on team.team_id = agent.team_id
where agent.username like 'bench.%'
order by cast(split_part(agent.username, '.', 3) as integer), team.city_code
