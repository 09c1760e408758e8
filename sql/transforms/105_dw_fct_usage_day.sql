-- grain: one row per subscriber and day with usage (no row = no usage that day).
create or replace table dw.fct_usage_day as

with

usage_day as (
    select * from stg.usage_day
    qualify row_number() over (
        partition by subscriber_id, usage_date order by _business_date desc, _load_id desc, _line desc) = 1
),

final as (
    select
        subscriber_id,
        usage_date,
        voice_minutes,
        data_mb,
        sms_count,
        offnet_minutes,
        offnet_calls
    from usage_day
)

select * from final
