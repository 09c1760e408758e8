-- grain: one row per usage month of the subscriber in the 12 months up to the as-of month, oldest first: the
-- usage trend chart (voice minutes, data mb, minutes to other networks).
with

usage as (
    select * from dw.fct_usage_month
    where subscriber_id = $subscriber_id
        and usage_month >= (select cast(as_of_month - interval 11 month as date) from dw.as_of)
),

final as (
    select
        usage_month as UsageMonth,
        voice_minutes as VoiceMinutes,
        data_mb as DataMb,
        offnet_minutes as OffnetMinutes,
        sms_count as SmsCount,
        active_days as ActiveDays
    from usage
    order by usage_month
)

select * from final
