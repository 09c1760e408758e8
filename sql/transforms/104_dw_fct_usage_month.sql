-- grain: one row per subscriber and usage month.
-- refresh: partition usage_month
-- input: stg.usage_month rows
-- order: subscriber_id, usage_month
with

usage_month as (
    select * from stg.usage_month
    {% if is_incremental() %}
    where usage_month in (select usage_month from refresh_partition)
    {% endif %}
    qualify row_number() over (
        partition by subscriber_id, usage_month order by _business_date desc, _load_id desc, _line desc) = 1
),

final as (
    select
        subscriber_id,
        usage_month,
        voice_minutes,
        data_mb,
        sms_count,
        offnet_minutes,
        offnet_calls,
        active_days,
        _business_date as delivered_for
    from usage_month
)

select * from final
