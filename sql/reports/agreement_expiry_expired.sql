-- grain: one row per agreement of the clicked city and policy type that ended in the chosen month without renewal
with

agreement as (
    select * from dw.fct_agreement
),

subscriber as (
    select * from dw.dim_subscriber where is_current
),

expired as (
    select agreement.*, subscriber.msisdn, subscriber.city_code, subscriber.district_code, subscriber.value_tier,
           subscriber.plan_code, subscriber.status as subscriber_status
    from agreement
    join subscriber on subscriber.subscriber_id = agreement.subscriber_id
    where date_trunc('month', agreement.end_date) = $period
        and agreement.status = 'ended'
        and agreement.policy_type = $policy_type
        and subscriber.city_code = $city_code
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

final as (
    select
        subscriber_id,
        msisdn,
        city_code,
        district_code,
        value_tier,
        plan_code,
        subscriber_status as status,
        policy_name as detail,
        end_date
    from expired
)

select * from final
order by subscriber_id
