-- grain: one row per subscriber whose feature row for the period matches a custom reminder rule (scenario 16).
-- the rule compiler fills in the condition and the evidence from its whitelist of feature columns; every value, and
-- every label quoted in the evidence, is a bound parameter. the rule never reads outside its scope.
with

features as (
    select *
    from mart.mart_subscriber_features
    where month = cast($period as date)
        and status <> 'churned'
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

matched as (
    select
        subscriber_id,
        city_code,
        value_tier,
        concat_ws('; ', /*evidence*/) as matched_conditions
    from features
    where /*condition*/
),

final as (
    select
        subscriber_id,
        city_code,
        value_tier,
        $rule_score as score,
        'rule ' || $rule_name || ': ' || matched_conditions as evidence,
        json_object('rule_id', $rule_id, 'matched', matched_conditions)::varchar as evidence_json
    from matched
)

select * from final
