-- grain: one row per sales channel of the newest channel delivery.
-- refresh: full
-- input: stg.channel
with

channel as (
    select * from stg.channel
    where _business_date = (select max(_business_date) from stg.channel)
),

final as (
    select channel_code, channel_name, channel_type
    from channel
)

select * from final
