-- grain: one row per subscriber of the clicked city in the chosen month counted as churned next month in its tier
with

features as (
    select * from mart.mart_subscriber_features
),

subscriber as (
    select * from dw.dim_subscriber where is_current
),

tiered as (
    select
        *,
        case
            when has_active_forwarding_offnet or open_complaints > 0 then '4 at_risk'
            when tenure_months >= 36 or (tenure_months >= 24 and months_to_contract_end is not null) then '1 loyal'
            when tenure_months >= 12 or months_to_contract_end is not null then '2 settled'
            else '3 new'
        end as loyalty_tier
    from features
    where month = $period
        and is_active
        and city_code = $city_code
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

final as (
    select
        tiered.subscriber_id,
        subscriber.msisdn,
        tiered.city_code,
        tiered.district_code,
        tiered.value_tier,
        tiered.plan_code,
        tiered.status,
        tiered.tenure_months
    from tiered
    left join subscriber on subscriber.subscriber_id = tiered.subscriber_id
    where tiered.loyalty_tier = $loyalty_tier
        and tiered.churned_next_month = 1
)

select * from final
order by subscriber_id
