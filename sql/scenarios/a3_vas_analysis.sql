-- grain: one row per subscriber whose count of active value-added services at the end of the period is at least
-- $min_drop below the count $lookback_months months earlier: a shrinking vas portfolio.
with

params as (
    select
        cast($period as date) as period,
        cast(last_day(cast($period as date)) + interval 1 day as timestamp) as cutoff,
        cast(last_day(cast($period as date)) + interval 1 day as timestamp)
            - to_months(cast($lookback_months as integer)) as earlier_cutoff
),

-- a service is active at a moment when its latest order before then was a subscription
latest as (
    select
        orders.subscriber_id,
        orders.vas_code,
        arg_max(orders.action, orders.order_time) filter (where orders.order_time < params.cutoff) as action_now,
        arg_max(orders.action, orders.order_time) filter (where orders.order_time < params.earlier_cutoff) as action_before
    from dw.fct_vas_order as orders
    cross join params
    where orders.order_time < params.cutoff
    group by all
),

portfolio as (
    select
        latest.subscriber_id,
        count(*) filter (where action_now = 'subscribe') as active_now,
        count(*) filter (where action_before = 'subscribe') as active_before,
        string_agg(coalesce(products.vas_name, latest.vas_code), ', ' order by latest.vas_code)
            filter (where action_before = 'subscribe' and action_now = 'unsubscribe') as dropped_services
    from latest
    left join dw.dim_vas_product as products
        on products.vas_code = latest.vas_code
    group by latest.subscriber_id
),

features as (
    select subscriber_id, city_code, value_tier
    from mart.mart_subscriber_features
    where month = cast($period as date)
        and status <> 'churned'
),

final as (
    select
        features.subscriber_id,
        features.city_code,
        features.value_tier,
        least(1.0, (portfolio.active_before - portfolio.active_now) / greatest(portfolio.active_before, 1)::double) as score,
        format('active value-added services {} → {} over {} months; dropped: {}', portfolio.active_before,
            portfolio.active_now, $lookback_months, coalesce(portfolio.dropped_services, '-')) as evidence,
        json_object('active_before', portfolio.active_before, 'active_now', portfolio.active_now,
            'lookback_months', $lookback_months, 'dropped', portfolio.dropped_services)::varchar as evidence_json
    from features
    inner join portfolio
        on portfolio.subscriber_id = features.subscriber_id
    where portfolio.active_before - portfolio.active_now >= $min_drop
)

select * from final
