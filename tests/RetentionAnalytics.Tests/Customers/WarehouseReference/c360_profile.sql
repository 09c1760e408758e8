-- grain: one row: the subscriber's current version with its customer, plan and region, if the subscriber is in
-- the caller's region scope (current city). no row = not found or out of scope: the caller cannot tell which.
with

as_of as (
    select as_of_date, as_of_month from dw.as_of
),

subscriber as (
    select *
    from dw.dim_subscriber
    where subscriber_id = $subscriber_id
        and is_current
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

final as (
    select
        subscriber.subscriber_id as SubscriberId,
        subscriber.customer_id as CustomerId,
        customer.customer_name as CustomerName,
        customer.id_number as IdNumber,
        customer.gender as Gender,
        cast(date_diff('year', customer.birth_date, as_of.as_of_date)
            - case when strftime(customer.birth_date, '%m%d') > strftime(as_of.as_of_date, '%m%d') then 1 else 0 end
            as integer) as Age,
        customer.customer_type as CustomerType,
        subscriber.msisdn as Msisdn,
        subscriber.imsi as Imsi,
        subscriber.payment_type as PaymentType,
        subscriber.status as Status,
        subscriber.value_tier as ValueTier,
        case $lang when 'de' then tier.name_de when 'zh' then tier.name_zh else tier.name_en end as ValueTierName,
        subscriber.star_level as StarLevel,
        case $lang when 'de' then star.name_de when 'zh' then star.name_zh else star.name_en end as StarLevelName,
        subscriber.city_code as CityCode,
        case when $lang = 'zh' then city.city_name_zh else city.city_name end as CityName,
        subscriber.district_code as DistrictCode,
        case when $lang = 'zh' then district.district_name_zh else district.district_name end as DistrictName,
        subscriber.channel_code as ChannelCode,
        subscriber.account_manager_id as AccountManagerId,
        subscriber.activation_date as ActivationDate,
        subscriber.deactivation_date as DeactivationDate,
        cast(greatest(date_diff('month', subscriber.activation_date, as_of.as_of_date), 0) as integer) as TenureMonths,
        subscriber.plan_code as PlanCode,
        plan.plan_name as PlanName,
        plan.monthly_fee as PlanMonthlyFee,
        plan.data_allowance_mb as PlanDataAllowanceMb,
        plan.voice_allowance_min as PlanVoiceAllowanceMin,
        plan.plan_family as PlanFamily,
        as_of.as_of_date as AsOfDate
    from subscriber
    cross join as_of
    left join dw.dim_customer as customer
        on customer.customer_id = subscriber.customer_id
    left join dw.dim_plan as plan
        on plan.plan_code = subscriber.plan_code
    left join dw.dim_value_tier as tier
        on tier.value_tier = subscriber.value_tier
    left join dw.dim_star_level as star
        on star.star_level = subscriber.star_level
    left join dw.dim_region as city
        on city.region_code = subscriber.city_code
    left join dw.dim_region as district
        on district.region_code = subscriber.district_code
)

select * from final
