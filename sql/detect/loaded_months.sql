-- grain: one row per month with a month-end snapshot in the warehouse: the periods a detector can run for.
select distinct cast(month as timestamp) as month
from mart.mart_retention_kpi_city_month
order by month
