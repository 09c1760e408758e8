-- grain: one row per subscriber whose count of active value-added services at the end of the period is at least
-- $min_drop below the count $lookback_months months earlier: a shrinking vas portfolio.
-- the feature mart counts the services active at every month end (their newest order by then a subscription); a month
-- the subscriber was not in the snapshot counts as none.
with

params as (
    select
        cast(last_day(cast($period as date)) + interval 1 day as timestamp) as cutoff,
        cast(last_day(cast($period as date)) + interval 1 day as timestamp)
            - to_months(cast($lookback_months as integer)) as earlier_cutoff
),

-- both months as constant filters (not read from params): the mart's scan skips every other month
current_month as (
    select features.subscriber_id, features.city_code, features.value_tier, features.vas_active as active_now
    from mart.mart_subscriber_features as features
    where features.month = cast($period as date)
        and features.status <> 'churned'
),

earlier_month as (
    select features.subscriber_id, features.vas_active as active_before
    from mart.mart_subscriber_features as features
    where features.month = cast(cast($period as date) - to_months(cast($lookback_months as integer)) as date)
        and features.vas_active >= $min_drop
),

shrunk as (
    select current_month.*, earlier_month.active_before
    from current_month
    inner join earlier_month
        on earlier_month.subscriber_id = current_month.subscriber_id
    where earlier_month.active_before - current_month.active_now >= $min_drop
),

-- the names of the dropped services (an ordered string aggregate) only for the subscribers that alert
dropped as (
    select
        latest.subscriber_id,
        string_agg(coalesce(products.vas_name, latest.vas_code), ', ' order by latest.vas_code) as dropped_services
    from (
        select
            orders.subscriber_id,
            orders.vas_code,
            arg_max(orders.action, orders.order_time) as action_now,
            arg_max(orders.action, orders.order_time) filter (where orders.order_time < params.earlier_cutoff) as action_before
        from dw.fct_vas_order as orders
        cross join params
        where orders.order_time < params.cutoff
            and orders.subscriber_id in (select subscriber_id from shrunk)
        group by all
    ) as latest
    left join dw.dim_vas_product as products
        on products.vas_code = latest.vas_code
    where latest.action_before = 'subscribe'
        and latest.action_now = 'unsubscribe'
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
