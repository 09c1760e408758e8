-- grain: one row per city a scope can name, from the region dimension
select region_code as city_code, region_name, region_name_zh
from dw.dim_region
where region_level = 'city'
order by city_code
