-- grain: one row per extract and business date held in staging from a month on: ra rebuild --from treats them all
-- as just delivered
select
    extract,
    business_date,
    false as replaced
from meta.load_audit
where status = 'loaded'
    and business_date >= $from_month
group by all
order by all
