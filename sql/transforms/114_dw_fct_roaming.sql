-- grain: one row per roaming session in its newest delivered state (a session still open at one month end is
-- delivered again with its end time later). is_ongoing: the subscriber is roaming at the end of the as-of date
-- (scenario: roaming care).
-- refresh: key roaming_id
-- input: stg.roaming
-- input: dw.as_of (as_of_date) all
-- month: start_date
-- order: subscriber_id, start_time
with

roaming as (
    select * from stg.roaming
    {% if is_incremental() %}
    semi join refresh_key using (roaming_id)
    {% endif %}
    qualify row_number() over (partition by roaming_id order by _business_date desc, _load_id desc, _line desc) = 1
),

as_of as (
    select as_of_date, as_of_date + interval 1 day as as_of_end from dw.as_of
),

final as (
    select
        roaming.roaming_id,
        roaming.subscriber_id,
        roaming.roaming_type,
        roaming.country_code,
        roaming.start_time,
        roaming.end_time,
        cast(roaming.start_time as date) as start_date,
        roaming.start_time < as_of.as_of_end
            and (roaming.end_time is null or roaming.end_time >= as_of.as_of_end) as is_ongoing,
        case when roaming.end_time is not null
            then date_diff('day', cast(roaming.start_time as date), cast(roaming.end_time as date)) + 1 end as roaming_days,
        roaming._business_date as delivered_for
    from roaming
    cross join as_of
)

select * from final
