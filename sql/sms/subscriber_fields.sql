-- grain: one row per requested subscriber (current version, within scope) with the values a template may use
-- (SmsTemplates.Fields lists them). personal data: read for rendering only, never logged.
with

requested as (
    select unnest(string_split($subscriber_ids, ',')) as subscriber_id
),

subscribers as (
    select subscriber_id, customer_id, msisdn, plan_code, city_code, status
    from dw.dim_subscriber
    where is_current
        and subscriber_id in (select subscriber_id from requested)
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

customers as (
    select customer_id, customer_name from dw.dim_customer
),

plans as (
    select plan_code, plan_name from dw.dim_plan
),

cities as (
    select distinct city_code, city_name from dw.dim_region where region_level = 'city'
),

contract_ends as (
    select subscriber_id, max(end_date) as contract_end
    from dw.fct_agreement
    where is_active and subscriber_id in (select subscriber_id from requested)
    group by subscriber_id
),

balances as (
    select subscriber_id, arg_max(balance, balance_date) as balance
    from dw.fct_balance
    where subscriber_id in (select subscriber_id from requested)
    group by subscriber_id
),

points as (
    select subscriber_id, points_balance from dw.points_balance
),

arrears as (
    select subscriber_id, amount_owed from dw.account_state
),

final as (
    select
        subscribers.subscriber_id,
        subscribers.city_code,
        subscribers.status,
        subscribers.msisdn,
        -- the first word of the delivered name (western names); a name without spaces (Chinese) as a whole
        split_part(trim(customers.customer_name), ' ', 1) as first_name,
        plans.plan_name,
        cast(contract_ends.contract_end as varchar) as contract_end,
        printf('%.2f', balances.balance) as balance,
        cast(points.points_balance as varchar) as points_balance,
        printf('%.2f', arrears.amount_owed) as amount_owed,
        cities.city_name
    from subscribers
    left join customers on customers.customer_id = subscribers.customer_id
    left join plans on plans.plan_code = subscribers.plan_code
    left join cities on cities.city_code = subscribers.city_code
    left join contract_ends on contract_ends.subscriber_id = subscribers.subscriber_id
    left join balances on balances.subscriber_id = subscribers.subscriber_id
    left join points on points.subscriber_id = subscribers.subscriber_id
    left join arrears on arrears.subscriber_id = subscribers.subscriber_id
)

select * from final
