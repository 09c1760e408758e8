-- grain: $agents_per_city benchmark agents per city in its retention team (on a warehouse copy only)
insert into ops.agent (username, display_name, team_id, capacity, account_manager_id, active)
select 'bench.' || team.city_code || '.' || cast(i as varchar), 'Benchmark agent', team.team_id, 1000000, null, true
from ops.team as team, range(1, $agents_per_city + 1) as t(i)
where team.kind = 'retention' and team.city_code is not null
  and not exists (select 1 from ops.agent where username like 'bench.%')
