-- grain: per table below. what customer search and the customer 360 view need for point lookups: an agent
-- opens one subscriber during a live call. first the subscriber-level dimension and facts that the 360 reads,
-- rewritten in subscriber order (dim_customer in customer order): with a subscriber's rows stored together,
-- duckdb's min/max zonemaps skip every other row group, so a lookup by id reads a few thousand rows instead of
-- scanning ten million. no art index: the tables are recreated on every rebuild. the content of every table is
-- exactly what its own transform built; only the physical order changes. then the search keys in key order.
create or replace table dw.dim_subscriber as
select * from dw.dim_subscriber order by subscriber_id, valid_from;

create or replace table dw.fct_bill as
select * from dw.fct_bill order by subscriber_id, bill_month;

create or replace table dw.fct_payment as
select * from dw.fct_payment order by subscriber_id, payment_time;

create or replace table dw.fct_recharge as
select * from dw.fct_recharge order by subscriber_id, recharge_time;

create or replace table dw.fct_balance as
select * from dw.fct_balance order by subscriber_id, balance_date;

create or replace table dw.fct_usage_month as
select * from dw.fct_usage_month order by subscriber_id, usage_month;

create or replace table dw.fct_agreement as
select * from dw.fct_agreement order by subscriber_id, start_date;

create or replace table dw.fct_vas_order as
select * from dw.fct_vas_order order by subscriber_id, order_time;

create or replace table dw.fct_service_contact as
select * from dw.fct_service_contact order by subscriber_id, contact_time;

create or replace table dw.account_state as
select * from dw.account_state order by subscriber_id;

create or replace table dw.call_forwarding_state as
select * from dw.call_forwarding_state order by subscriber_id;

create or replace table dw.points_balance as
select * from dw.points_balance order by subscriber_id;

create or replace table dw.fct_handset as
select * from dw.fct_handset order by subscriber_id;

create or replace table dw.dim_customer as
select * from dw.dim_customer order by customer_id;

-- grain: one row per search key of a subscriber's current version: msisdn, imsi, customer number, subscriber id
-- and each contract number, in key order. customer search reads a key range (exact or prefix) of a few row
-- groups instead of scanning every version of every subscriber; the row carries what the result list shows.
-- personal data (msisdn, imsi), like dim_subscriber, which it indexes.
create or replace table dw.subscriber_search_key as

with

current_subscriber as (
    select subscriber_id, customer_id, msisdn, imsi, plan_code, status, city_code, value_tier
    from dw.dim_subscriber
    where is_current
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
    order by keys.key_value, keys.key_kind, current_subscriber.subscriber_id
)

select * from final
