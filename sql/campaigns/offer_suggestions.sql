-- grain: one row per active offer the subscriber is eligible for, ranked: the subscriber's newest feature row (plan,
-- value tier, payment type, tenure) against each offer's rules (null list = any) and the scenarios behind the contact.
-- rank = weight + scenario bonus when a listed scenario matches + tier bonus when a listed value tier matches.
-- why_eligible words the matched rules in English (the API); the why_* columns give them by kind, the plan and the
-- scenarios by name in $lang, for the page to word in the reader's language.
with

profile as (
    select subscriber_id, city_code, plan_code, value_tier, payment_type, tenure_months
    from mart.mart_subscriber_features
    where subscriber_id = $subscriber_id
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
    qualify row_number() over (order by month desc) = 1
),

contact_scenarios as (
    select string_split(coalesce($scenario_ids, ''), ',') as scenario_ids
),

-- the active offers of the catalogue (operational data), filled by the caller: campaigns/active_offer_table.sql
offers as (
    select * from active_offer
),

plan as (
    select plan_code, plan_name from dw.dim_plan
),

scenario_name as (
    select map(list(scenario_id), list(case $lang when 'de' then name_de when 'zh' then name_zh else name_en end)) as scenario_names
    from det.scenario
),

matched as (
    select
        offers.*,
        profile.plan_code,
        profile.value_tier,
        profile.payment_type,
        profile.tenure_months,
        list_filter(contact_scenarios.scenario_ids, s -> list_contains(string_split(offers.scenarios, ','), s)) as matched_scenarios,
        plan.plan_name,
        scenario_name.scenario_names
    from offers
    cross join profile
    cross join contact_scenarios
    cross join scenario_name
    left join plan
        on plan.plan_code = profile.plan_code
),

eligible as (
    select *
    from matched
    where (plans is null or list_contains(string_split(plans, ','), plan_code))
        and (value_tiers is null or list_contains(string_split(value_tiers, ','), value_tier))
        and (payment_types is null or list_contains(string_split(payment_types, ','), payment_type))
        and (min_tenure_months is null or tenure_months >= min_tenure_months)
        and (max_tenure_months is null or tenure_months <= max_tenure_months)
        and (scenarios is null or len(matched_scenarios) > 0)
),

final as (
    select
        offer_id as OfferId,
        name_en as NameEn,
        name_de as NameDe,
        name_zh as NameZh,
        description as Description,
        monthly_value as MonthlyValue,
        discount_pct as DiscountPct,
        weight
            + case when scenarios is not null then scenario_bonus else 0 end
            + case when value_tiers is not null then tier_bonus else 0 end as Rank,
        concat_ws('; ',
            case when plans is not null then 'plan ' || plan_code end,
            case when value_tiers is not null then 'value tier ' || value_tier end,
            case when payment_types is not null then payment_type end,
            case when min_tenure_months is not null or max_tenure_months is not null
                then 'tenure ' || tenure_months || ' months' end,
            case when scenarios is not null then 'scenario ' || array_to_string(matched_scenarios, ', ') end,
            case when plans is null and value_tiers is null and payment_types is null and min_tenure_months is null
                and max_tenure_months is null and scenarios is null then 'open to every subscriber' end
        ) as WhyEligible,
        case when plans is not null then coalesce(plan_name, plan_code) end as WhyPlan,
        case when value_tiers is not null then value_tier end as WhyTier,
        case when payment_types is not null then payment_type end as WhyPaymentType,
        case when min_tenure_months is not null or max_tenure_months is not null then cast(tenure_months as integer) end as WhyTenureMonths,
        case when scenarios is not null then array_to_string(list_transform(matched_scenarios,
            s -> coalesce(map_extract(scenario_names, s)[1], s)), ' · ') end as WhyScenarios
    from eligible
)

select * from final
order by Rank desc, OfferId
