-- grain: one row per subscriber whose data use this period is below $max_usage_pct % of the plan's allowance
-- (plans with at least $min_allowance_mb mb): paying for a plan they do not use, a candidate for a better fit.
with

features as (
    select subscriber_id, city_code, value_tier, plan_code, coalesce(data_mb, 0) as data_mb
    from mart.mart_subscriber_features
    where month = cast($period as date)
        and status = 'active'
),

plans as (
    select plan_code, plan_name, data_allowance_mb from dw.dim_plan
),

joined as (
    select features.*, plans.plan_name, plans.data_allowance_mb,
        features.data_mb::double / plans.data_allowance_mb as usage_share
    from features
    inner join plans
        on plans.plan_code = features.plan_code
    where plans.data_allowance_mb >= $min_allowance_mb
        and plans.data_allowance_mb > 0
        -- strictly below the share: exactly at it is not low
        and features.data_mb * 100 < plans.data_allowance_mb * $max_usage_pct
),

final as (
    select
        subscriber_id,
        city_code,
        value_tier,
        least(1.0, greatest(0.0, 1 - usage_share * 100 / $max_usage_pct)) as score,
        format('used {:.1f} MB of a {:,} MB allowance ({:.1f}%), plan {}', data_mb::double, data_allowance_mb,
            100 * usage_share, plan_code) as evidence,
        json_object('data_mb', data_mb, 'allowance_mb', data_allowance_mb, 'usage_pct', round(100 * usage_share, 2),
            'plan_code', plan_code)::varchar as evidence_json
    from joined
)

select * from final
