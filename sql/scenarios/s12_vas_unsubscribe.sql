-- grain: one row per subscriber who unsubscribed at least $min_unsubscriptions value-added services in the
-- $lookback_days days up to the end of the period.
with

params as (
    select
        cast($period as date) as period,
        cast(last_day(cast($period as date)) + interval 1 day as timestamp) as cutoff
),

unsubscribed as (
    select
        orders.subscriber_id,
        count(*) as unsubscriptions,
        string_agg(coalesce(products.vas_name, orders.vas_code) || ' (' || strftime(orders.order_date, '%Y-%m-%d') || ')',
            ', ' order by orders.order_time) as services,
        list(orders.vas_code order by orders.order_time) as vas_codes
    from dw.fct_vas_order as orders
    cross join params
    left join dw.dim_vas_product as products
        on products.vas_code = orders.vas_code
    where orders.action = 'unsubscribe'
        and orders.order_time < params.cutoff
        and orders.order_time >= params.cutoff - to_days(cast($lookback_days as integer))
    group by orders.subscriber_id
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
        least(1.0, unsubscribed.unsubscriptions / 3.0) as score,
        format('unsubscribed {} value-added service(s) in the last {} days: {}',
            unsubscribed.unsubscriptions, $lookback_days, unsubscribed.services) as evidence,
        json_object('unsubscriptions', unsubscribed.unsubscriptions, 'lookback_days', $lookback_days,
            'vas_codes', unsubscribed.vas_codes)::varchar as evidence_json
    from features
    inner join unsubscribed
        on unsubscribed.subscriber_id = features.subscriber_id
    where unsubscribed.unsubscriptions >= $min_unsubscriptions
)

select * from final
