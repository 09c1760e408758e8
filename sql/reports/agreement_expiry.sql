-- grain: one row per city and policy type: the policy agreements whose commitment ends in the chosen month, and how
-- many were renewed, ran out, were cancelled or are still to decide (the subscriber's current city)
with

agreement as (
    select * from dw.fct_agreement
),

subscriber as (
    select * from dw.dim_subscriber where is_current
),

ending as (
    select agreement.*, subscriber.city_code, subscriber.status = 'churned' as subscriber_churned
    from agreement
    join subscriber on subscriber.subscriber_id = agreement.subscriber_id
    where date_trunc('month', agreement.end_date) = $period
        and (cast($city as varchar) is null or subscriber.city_code = $city)
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

final as (
    select
        city_code,
        policy_type,
        count(*) as ending,
        count(*) filter (where status = 'renewed') as renewed,
        count(*) filter (where status = 'ended') as expired,
        count(*) filter (where status = 'cancelled') as cancelled,
        count(*) filter (where status = 'active') as open,
        count(*) filter (where subscriber_churned) as churned,
        count(*) filter (where status = 'renewed') / count(*) as renewal_rate
    from ending
    group by city_code, policy_type
)

select * from final
order by city_code, policy_type
