-- grain: one row per city with alerts of one scenario in one period, most alerts first (the cli's summary).
select city_code as CityCode, count(*) as Alerts
from det.alert
where scenario_id = $scenario_id
    and period = cast($period as date)
group by city_code
order by Alerts desc, CityCode
limit 3
