-- grain: one row per city and month: the reference full scan the detector benchmark is measured against
-- (sum of bills over the whole monthly snapshot fact).
select city_code, month, sum(bill_amount) as bill_amount
from dw.fct_subscriber_month
group by city_code, month
