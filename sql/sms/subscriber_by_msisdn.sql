-- grain: at most one row: the current subscriber of a number (a live line before a churned one)
select subscriber_id from dw.dim_subscriber
where is_current and msisdn = $from
order by case when status = 'churned' then 1 else 0 end, valid_from desc
limit 1
