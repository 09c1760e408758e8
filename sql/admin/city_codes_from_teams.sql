-- grain: one row per city that has a team: the choice of cities before the first load built dw.dim_region
select distinct city_code, city_code as region_name, city_code as region_name_zh
from ops.team
where city_code is not null
order by city_code
