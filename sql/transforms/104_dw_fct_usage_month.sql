-- grain: one row per subscriber and usage month.
create or replace table dw.fct_usage_month as

with

usage_month as (
    select * from stg.usage_month
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
        active_days
    from usage_month
)

select * from final
