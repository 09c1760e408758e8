-- grain: one row per subscriber: the handset seen most recently on the network (the first handset delivery
-- holds every subscriber's device, later ones only newly seen devices).
-- refresh: full
-- input: stg.handset
-- order: subscriber_id
with

handset as (
    select * from stg.handset
    qualify row_number() over (
        partition by subscriber_id, imei_tac order by _business_date desc, _load_id desc, _line desc) = 1
),

ranked as (
    select
        *,
        count(*) over (partition by subscriber_id) as handsets_seen
    from handset
    qualify row_number() over (
        partition by subscriber_id order by first_seen_date desc, _business_date desc, _load_id desc, _line desc) = 1
),

final as (
    select
        subscriber_id,
        imei_tac,
        brand,
        model,
        is_5g,
        first_seen_date,
        handsets_seen
    from ranked
)

select * from final
