-- grain: one row per subscriber that was ever suspended or warned for arrears: the state at the as-of date.
-- a suspension lasts until the next resumption; the amount owed is the latest arrears amount since the last
-- resumption (scenario: arrears suspension, days suspended and amount owed).
-- refresh: key subscriber_id
-- input: dw.fct_account_event
-- input: dw.as_of (as_of_date) all
-- order: subscriber_id
with

events as (
    select * from dw.fct_account_event
    where event_time < (select as_of_date + interval 1 day from dw.as_of)
    {% if is_incremental() %}
        and subscriber_id in (select subscriber_id from refresh_key)
    {% endif %}
),

last_switch as (
    -- the latest suspension or resumption decides whether the line is suspended now
    select
        subscriber_id,
        arg_max(event_type, event_time) as last_switch_type,
        max(event_time) as last_switch_time
    from events
    where is_suspension or is_resumption
    group by subscriber_id
),

last_resume as (
    select subscriber_id, max(event_time) as last_resume_time
    from events
    where is_resumption
    group by subscriber_id
),

open_arrears as (
    select
        events.subscriber_id,
        arg_max(events.amount_owed, events.event_time) as amount_owed,
        min(events.event_time) as first_arrears_time
    from events
    left join last_resume
        on last_resume.subscriber_id = events.subscriber_id
    where events.is_arrears
        and events.event_time > coalesce(last_resume.last_resume_time, timestamp '1900-01-01')
    group by events.subscriber_id
),

subscribers as (
    select subscriber_id from last_switch
    union
    select subscriber_id from open_arrears
),

final as (
    select
        subscribers.subscriber_id,
        coalesce(last_switch.last_switch_type in ('arrears_suspend', 'request_suspend'), false) as is_suspended,
        case when last_switch.last_switch_type in ('arrears_suspend', 'request_suspend')
            then last_switch.last_switch_type end as suspension_type,
        case when last_switch.last_switch_type in ('arrears_suspend', 'request_suspend')
            then last_switch.last_switch_time end as suspended_since,
        case when last_switch.last_switch_type in ('arrears_suspend', 'request_suspend')
            then (select as_of_date from dw.as_of) - cast(last_switch.last_switch_time as date) end as days_suspended,
        coalesce(open_arrears.amount_owed, 0) as amount_owed,
        open_arrears.first_arrears_time as arrears_since
    from subscribers
    left join last_switch
        on last_switch.subscriber_id = subscribers.subscriber_id
    left join open_arrears
        on open_arrears.subscriber_id = subscribers.subscriber_id
)

select * from final
