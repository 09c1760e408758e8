-- grain: one row per city and loyalty tier in the chosen month. tier from tenure, a commitment and membership level:
-- loyal (3+ years, or 2+ years under contract), settled (1+ year or under contract), new (under 1 year), at risk
-- (forwarding calls to another network or a complaint open, whatever the tenure)
with

features as (
    select * from mart.mart_subscriber_features
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
        and (cast($city as varchar) is null or city_code = $city)
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

final as (
    select
        loyalty_tier,
        city_code,
        count(*) as subscribers,
        sum(tenure_months) as tenure_months,
        sum(tenure_months) / count(*) as average_tenure_months,
        count(*) filter (where months_to_contract_end is not null) as under_contract,
        count(*) filter (where churned_next_month = 1) as churned_next_month,
        count(*) filter (where churned_next_month is not null) as observed_next_month,
        count(*) filter (where churned_next_month = 1) / nullif(count(*) filter (where churned_next_month is not null), 0) as churn_rate_next_month,
        cast(sum(arpu) as decimal(18, 2)) as revenue,
        cast(sum(arpu) / count(*) as decimal(18, 2)) as arpu
    from tiered
    group by all
)

select * from final
order by loyalty_tier, city_code
