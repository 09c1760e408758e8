-- grain: one row per call-forwarding event (set or cancel).
-- a "set" stays in force until the next event of the same forwarding type (a cancel, or a new set that replaces
-- it); a cancel without a type cancels every type. active_until is that next event's time (null = still set).
-- a target network other than own is a competitor: the subscriber probably carries a second sim elsewhere.
-- refreshed by subscriber: a new event ends the one before it, so a subscriber's events are rebuilt together.
-- refresh: key subscriber_id
-- input: stg.call_forwarding
-- month: action_date
-- unique: forwarding_id
-- order: subscriber_id, action_time
with

call_forwarding as (
    select
        *,
        -- a set without a type is taken as unconditional forwarding
        case when action = 'set' then coalesce(forward_type, 'unconditional') else forward_type end as effective_type
    from stg.call_forwarding
    {% if is_incremental() %}
    where subscriber_id in (select subscriber_id from refresh_key)
    {% endif %}
    qualify row_number() over (partition by forwarding_id order by _business_date desc, _load_id desc, _line desc) = 1
),

typed_events as (
    select forwarding_id, subscriber_id, action, action_time, effective_type
    from call_forwarding
    where effective_type is not null
),

untyped_cancels as (
    -- a cancel without a type applies to every type the subscriber ever set
    select cancels.forwarding_id, cancels.subscriber_id, cancels.action, cancels.action_time, types.effective_type
    from call_forwarding as cancels
    inner join (select distinct subscriber_id, effective_type from typed_events) as types
        on types.subscriber_id = cancels.subscriber_id
    where cancels.forward_type is null
        and cancels.action = 'cancel'
),

sequenced as (
    select
        forwarding_id,
        effective_type,
        action,
        lead(action_time) over (
            partition by subscriber_id, effective_type order by action_time, forwarding_id) as next_event_time
    from (select * from typed_events union all select * from untyped_cancels)
),

final as (
    select
        call_forwarding.forwarding_id,
        call_forwarding.subscriber_id,
        call_forwarding.action,
        call_forwarding.action_time,
        cast(call_forwarding.action_time as date) as action_date,
        call_forwarding.effective_type as forward_type,
        call_forwarding.target_network,
        call_forwarding.target_network <> 'own' as is_offnet,
        case when call_forwarding.action = 'set' then sequenced.next_event_time end as active_until,
        call_forwarding._business_date as delivered_for
    from call_forwarding
    left join sequenced
        on sequenced.forwarding_id = call_forwarding.forwarding_id
        and sequenced.effective_type = call_forwarding.effective_type
        and sequenced.action = call_forwarding.action
)

select * from final
