-- grain: one row per subscriber and day with usage (no row = no usage that day).
-- refresh: partition usage_date
-- input: stg.usage_day rows
-- order: usage_date, subscriber_id
with

usage_day as (
    select * from stg.usage_day
    {% if is_incremental() %}
    where usage_date in (select usage_date from refresh_partition)
    {% endif %}
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
        offnet_calls,
        _business_date as delivered_for
    from usage_day
)

select * from final
