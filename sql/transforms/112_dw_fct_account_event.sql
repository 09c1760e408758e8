-- grain: one row per account event (arrears notice, suspension for arrears or on request, resumption).
-- refresh: key event_id
-- input: stg.account_event
-- month: event_date
-- order: subscriber_id, event_time
with

account_event as (
    select * from stg.account_event
    {% if is_incremental() %}
    semi join refresh_key using (event_id)
    {% endif %}
    qualify row_number() over (partition by event_id order by _business_date desc, _load_id desc, _line desc) = 1
),

final as (
    select
        event_id,
        subscriber_id,
        event_type,
        event_time,
        cast(event_time as date) as event_date,
        amount_owed,
        event_type in ('arrears_suspend', 'request_suspend') as is_suspension,
        event_type = 'resume' as is_resumption,
        event_type in ('arrears_suspend', 'arrears_notice') as is_arrears,
        _business_date as delivered_for
    from account_event
)

select * from final
