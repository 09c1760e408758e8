-- grain: one row per subscriber with at least one forwarding in force at the as-of date (end of day).
-- the offnet forward is preferred when several types are set: it is the retention signal.
-- refresh: key subscriber_id
-- input: dw.fct_call_forwarding
-- input: dw.as_of (as_of_date) all
-- order: subscriber_id
with

in_force as (
    select *
    from dw.fct_call_forwarding
    where action = 'set'
    {% if is_incremental() %}
        and subscriber_id in (select subscriber_id from refresh_key)
    {% endif %}
        and action_time < (select as_of_date + interval 1 day from dw.as_of)
        and (active_until is null or active_until >= (select as_of_date + interval 1 day from dw.as_of))
),

final as (
    select
        subscriber_id,
        count(*) as active_forwards,
        bool_or(is_offnet) as has_active_forwarding_offnet,
        arg_max(target_network, struct_pack(is_offnet, action_time)) as target_network,
        arg_max(forward_type, struct_pack(is_offnet, action_time)) as forward_type,
        arg_max(action_time, struct_pack(is_offnet, action_time)) as active_since,
        min(action_time) filter (where is_offnet) as offnet_since
    from in_force
    group by subscriber_id
)

select * from final
