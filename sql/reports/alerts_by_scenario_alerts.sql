-- grain: one row per alert of the clicked scenario and city in the chosen period
with

alert as (
    select * from det.alert
),

subscriber as (
    -- no city_code: the row's own city is the one the scope filters
    select subscriber_id, msisdn, district_code, plan_code, status from dw.dim_subscriber where is_current
),

final as (
    select
        alert.subscriber_id,
        subscriber.msisdn,
        alert.city_code,
        subscriber.district_code,
        alert.value_tier,
        subscriber.plan_code,
        subscriber.status,
        alert.score,
        alert.evidence as detail,
        -- the same figures by name: the page words them in the reader's language
        alert.evidence_json
    from alert
    left join subscriber on subscriber.subscriber_id = alert.subscriber_id
    where alert.period = $period
        and alert.scenario_id = $scenario_id
        and alert.city_code = $city_code
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
)

select * from final
order by score desc, subscriber_id
