-- grain: one row per search key of a subscriber's current version: msisdn, imsi, customer number, subscriber id
-- and each contract number, in key order. customer search reads a key range (exact or prefix) of a few row
-- groups instead of scanning every version of every subscriber; the row carries what the result list shows.
-- personal data (msisdn, imsi), like dim_subscriber, which it indexes. the other tables the customer 360 view reads
-- are stored in subscriber order by their own transforms (-- order:), so a look-up by id reads a few row groups.
-- refresh: key subscriber_id
-- input: dw.dim_subscriber
-- input: dw.fct_agreement (agreement_id, subscriber_id)
-- order: key_value, key_kind, subscriber_id
with

current_subscriber as (
    select subscriber_id, customer_id, msisdn, imsi, plan_code, status, city_code, value_tier
    from dw.dim_subscriber
    where is_current
    {% if is_incremental() %}
        and subscriber_id in (select subscriber_id from refresh_key)
    {% endif %}
),

keys as (
    select msisdn as key_value, 'msisdn' as key_kind, subscriber_id from current_subscriber where msisdn is not null
    union all
    select imsi, 'imsi', subscriber_id from current_subscriber where imsi is not null
    union all
    select customer_id, 'customer', subscriber_id from current_subscriber where customer_id is not null
    union all
    select subscriber_id, 'subscriber', subscriber_id from current_subscriber
    union all
    select agreement_id, 'contract', subscriber_id from dw.fct_agreement
),

final as (
    select
        keys.key_value,
        keys.key_kind,
        current_subscriber.subscriber_id,
        current_subscriber.customer_id,
        current_subscriber.msisdn,
        current_subscriber.plan_code,
        current_subscriber.status,
        current_subscriber.city_code,
        current_subscriber.value_tier
    from keys
    inner join current_subscriber
        on current_subscriber.subscriber_id = keys.subscriber_id
)

select * from final
