-- grain: one row per subscriber (current version) whose msisdn, imsi, customer number, subscriber id or one of
-- whose contract numbers equals or starts with the typed key, within the caller's region scope (current city).
-- exact matches first, then live lines before churned ones, then by the matched key; at most $max_rows rows.
with

current_subscriber as (
    select subscriber_id, customer_id, msisdn, imsi, plan_code, status, city_code, value_tier, activation_date
    from dw.dim_subscriber
    where is_current
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

agreement as (
    select agreement_id, subscriber_id
    from dw.fct_agreement
    where $by_contract and starts_with(agreement_id, $key)
),

matched as (
    select subscriber_id, 'msisdn' as matched_kind, msisdn as matched_key
    from current_subscriber
    where $by_msisdn and starts_with(msisdn, $key)
    union all
    select subscriber_id, 'imsi', imsi
    from current_subscriber
    where $by_imsi and starts_with(imsi, $key)
    union all
    select subscriber_id, 'customer', customer_id
    from current_subscriber
    where $by_customer and starts_with(customer_id, $key)
    union all
    select subscriber_id, 'subscriber', subscriber_id
    from current_subscriber
    where $by_subscriber and starts_with(subscriber_id, $key)
    union all
    -- contract numbers are matched before the scope join below: out-of-scope subscribers drop out there
    select subscriber_id, 'contract', agreement_id
    from agreement
),

best_match as (
    -- one row per subscriber: an exact match of any kind wins over a prefix match
    select
        subscriber_id,
        arg_min(matched_kind, struct_pack(not_exact := matched_key <> $key, matched_key)) as matched_kind,
        arg_min(matched_key, struct_pack(not_exact := matched_key <> $key, matched_key)) as matched_key,
        bool_or(matched_key = $key) as is_exact
    from matched
    group by subscriber_id
),

final as (
    select
        current_subscriber.subscriber_id as SubscriberId,
        current_subscriber.msisdn as Msisdn,
        current_subscriber.customer_id as CustomerId,
        current_subscriber.plan_code as PlanCode,
        plan.plan_name as PlanName,
        current_subscriber.status as Status,
        current_subscriber.city_code as CityCode,
        case when $lang = 'zh' then region.city_name_zh else region.city_name end as CityName,
        current_subscriber.value_tier as ValueTier,
        case $lang when 'de' then tier.name_de when 'zh' then tier.name_zh else tier.name_en end as ValueTierName,
        best_match.matched_kind as MatchedKind,
        best_match.is_exact as IsExact
    from best_match
    inner join current_subscriber
        on current_subscriber.subscriber_id = best_match.subscriber_id
    left join dw.dim_plan as plan
        on plan.plan_code = current_subscriber.plan_code
    left join dw.dim_region as region
        on region.region_code = current_subscriber.city_code
    left join dw.dim_value_tier as tier
        on tier.value_tier = current_subscriber.value_tier
    order by
        best_match.is_exact desc,
        current_subscriber.status = 'churned',
        best_match.matched_key,
        current_subscriber.subscriber_id
    limit $max_rows
)

select * from final
