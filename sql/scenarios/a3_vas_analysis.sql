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
        subscriber_id,
        count(*) filter (where action_now = 'subscribe') as active_now,
        count(*) filter (where action_before = 'subscribe') as active_before
    from latest
    group by subscriber_id
),

features as (
    select subscriber_id, city_code, value_tier
    from mart.mart_subscriber_features
    where month = cast($period as date)
        and status <> 'churned'
),

shrunk as (
    select features.*, portfolio.active_now, portfolio.active_before
    from features
    inner join portfolio
        on portfolio.subscriber_id = features.subscriber_id
    where portfolio.active_before - portfolio.active_now >= $min_drop
),

-- the names of the dropped services (an ordered string aggregate) only for the subscribers that alert
dropped as (
    select
        latest.subscriber_id,
        string_agg(coalesce(products.vas_name, latest.vas_code), ', ' order by latest.vas_code) as dropped_services
    from latest
    left join dw.dim_vas_product as products
        on products.vas_code = latest.vas_code
    where latest.action_before = 'subscribe'
        and latest.action_now = 'unsubscribe'
        and latest.subscriber_id in (select subscriber_id from shrunk)
    group by latest.subscriber_id
),

final as (
    select
        shrunk.subscriber_id,
        shrunk.city_code,
        shrunk.value_tier,
        least(1.0, (shrunk.active_before - shrunk.active_now) / greatest(shrunk.active_before, 1)::double) as score,
        format('active value-added services {} → {} over {} months; dropped: {}', shrunk.active_before,
            shrunk.active_now, $lookback_months, coalesce(dropped.dropped_services, '-')) as evidence,
        json_object('active_before', shrunk.active_before, 'active_now', shrunk.active_now,
            'lookback_months', $lookback_months, 'dropped', dropped.dropped_services)::varchar as evidence_json
    from shrunk
    left join dropped
        on dropped.subscriber_id = shrunk.subscriber_id
)

select * from final
