-- grain: one row per subscriber (current version) whose msisdn, imsi, customer number, subscriber id or one of
-- whose contract numbers equals or starts with the typed key, within the caller's region scope (current city).
-- exact matches first, then live lines before churned ones, then by the matched key; at most $max_rows rows.
-- dw.subscriber_search_key is stored in key order: the range [$key, $key_end) reads a few row groups, where
-- $key_end is the key with its last character raised by one (keys are ascii letters and digits), i.e. exactly
-- the keys that start with $key.
with

matched as (
    select *
    from dw.subscriber_search_key
    where key_value >= $key
        and key_value < $key_end
        and list_contains(string_split($kinds, ','), key_kind)
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

best_match as (
    -- one row per subscriber: an exact match of any kind wins over a prefix match
    select
        subscriber_id,
        arg_min(key_kind, struct_pack(not_exact := key_value <> $key, key_value)) as matched_kind,
        min(key_value) as matched_key,
        bool_or(key_value = $key) as is_exact,
        any_value(customer_id) as customer_id,
        any_value(msisdn) as msisdn,
        any_value(plan_code) as plan_code,
        any_value(status) as status,
        any_value(city_code) as city_code,
        any_value(value_tier) as value_tier
    from matched
    group by subscriber_id
),

final as (
    select
        best_match.subscriber_id as SubscriberId,
        best_match.msisdn as Msisdn,
        best_match.customer_id as CustomerId,
        best_match.plan_code as PlanCode,
        plan.plan_name as PlanName,
        best_match.status as Status,
        best_match.city_code as CityCode,
        case when $lang = 'zh' then region.city_name_zh else region.city_name end as CityName,
        best_match.value_tier as ValueTier,
        case $lang when 'de' then tier.name_de when 'zh' then tier.name_zh else tier.name_en end as ValueTierName,
        best_match.matched_kind as MatchedKind,
        best_match.is_exact as IsExact
    from best_match
    left join dw.dim_plan as plan
        on plan.plan_code = best_match.plan_code
    left join dw.dim_region as region
        on region.region_code = best_match.city_code
    left join dw.dim_value_tier as tier
        on tier.value_tier = best_match.value_tier
    order by
        best_match.is_exact desc,
        best_match.status = 'churned',
        best_match.matched_key,
        best_match.subscriber_id
    limit $max_rows
)

select * from final
