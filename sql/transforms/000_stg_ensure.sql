-- grain: none (setup). every staging table the transforms read, created empty when its extract has not been
-- delivered yet, so that a warehouse with only some extracts loaded still builds. the loader creates the same
-- tables (create if not exists, columns from etl/contracts) and inserts by column name, so this never conflicts.

create table if not exists stg.account_event (
    event_id varchar, subscriber_id varchar, event_type varchar, event_time timestamp, amount_owed decimal(12,2),
    _load_id bigint not null, _business_date date not null, _line bigint
);

create table if not exists stg.agreement (
    agreement_id varchar, subscriber_id varchar, policy_code varchar, policy_name varchar, policy_type varchar, start_date date, end_date date, monthly_commitment decimal(10,2), status varchar,
    _load_id bigint not null, _business_date date not null, _line bigint
);

create table if not exists stg.balance (
    balance_date date, subscriber_id varchar, balance decimal(12,2), fee_due_month_end decimal(12,2),
    _load_id bigint not null, _business_date date not null, _line bigint
);

create table if not exists stg.bill (
    bill_month date, subscriber_id varchar, total_amount decimal(12,2), voice_fee decimal(12,2), data_fee decimal(12,2), sms_fee decimal(12,2), vas_fee decimal(12,2), other_fee decimal(12,2), due_date date,
    _load_id bigint not null, _business_date date not null, _line bigint
);

create table if not exists stg.broadband (
    account_id varchar, customer_id varchar, subscriber_id varchar, bb_plan varchar, speed_mbps integer, start_date date, end_date date, status varchar,
    _load_id bigint not null, _business_date date not null, _line bigint
);

create table if not exists stg.call_forwarding (
    forwarding_id varchar, subscriber_id varchar, action varchar, action_time timestamp, forward_type varchar, target_network varchar, target_msisdn varchar,
    _load_id bigint not null, _business_date date not null, _line bigint
);

create table if not exists stg.channel (
    channel_code varchar, channel_name varchar, channel_type varchar,
    _load_id bigint not null, _business_date date not null, _line bigint
);

create table if not exists stg.customer (
    customer_id varchar, customer_name varchar, id_number varchar, gender varchar, birth_date date, city_code varchar, customer_type varchar, created_date date,
    _load_id bigint not null, _business_date date not null, _line bigint
);

create table if not exists stg.handset (
    subscriber_id varchar, imei_tac varchar, brand varchar, model varchar, is_5g boolean, first_seen_date date,
    _load_id bigint not null, _business_date date not null, _line bigint
);

create table if not exists stg.payment (
    payment_id varchar, subscriber_id varchar, payment_time timestamp, amount decimal(12,2), method varchar,
    _load_id bigint not null, _business_date date not null, _line bigint
);

create table if not exists stg.plan (
    plan_code varchar, plan_name varchar, payment_type varchar, monthly_fee decimal(10,2), data_allowance_mb integer, voice_allowance_min integer, plan_family varchar,
    _load_id bigint not null, _business_date date not null, _line bigint
);

create table if not exists stg.points (
    points_txn_id varchar, subscriber_id varchar, txn_time timestamp, txn_type varchar, points integer, item varchar,
    _load_id bigint not null, _business_date date not null, _line bigint
);

create table if not exists stg.recharge (
    recharge_id varchar, subscriber_id varchar, recharge_time timestamp, amount decimal(12,2), channel_code varchar,
    _load_id bigint not null, _business_date date not null, _line bigint
);

create table if not exists stg.region (
    region_code varchar, region_name varchar, region_name_zh varchar, region_level varchar, parent_code varchar,
    _load_id bigint not null, _business_date date not null, _line bigint
);

create table if not exists stg.roaming (
    roaming_id varchar, subscriber_id varchar, roaming_type varchar, country_code varchar, start_time timestamp, end_time timestamp,
    _load_id bigint not null, _business_date date not null, _line bigint
);

create table if not exists stg.service_contact (
    contact_id varchar, subscriber_id varchar, contact_time timestamp, contact_channel varchar, category varchar, is_complaint boolean, status varchar, closed_time timestamp, remark varchar,
    _load_id bigint not null, _business_date date not null, _line bigint
);

create table if not exists stg.subscription (
    subscriber_id varchar, customer_id varchar, msisdn varchar, imsi varchar, plan_code varchar, payment_type varchar, status varchar, activation_date date, deactivation_date date, city_code varchar, district_code varchar, channel_code varchar, value_tier varchar, star_level integer, account_manager_id varchar,
    _load_id bigint not null, _business_date date not null, _line bigint
);

create table if not exists stg.usage_day (
    usage_date date, subscriber_id varchar, voice_minutes decimal(12,1), data_mb decimal(14,1), sms_count integer, offnet_minutes decimal(12,1), offnet_calls integer,
    _load_id bigint not null, _business_date date not null, _line bigint
);

create table if not exists stg.usage_month (
    usage_month date, subscriber_id varchar, voice_minutes decimal(12,1), data_mb decimal(14,1), sms_count integer, offnet_minutes decimal(12,1), offnet_calls integer, active_days integer,
    _load_id bigint not null, _business_date date not null, _line bigint
);

create table if not exists stg.vas_order (
    order_id varchar, subscriber_id varchar, vas_code varchar, action varchar, order_time timestamp, channel_code varchar,
    _load_id bigint not null, _business_date date not null, _line bigint
);

create table if not exists stg.vas_product (
    vas_code varchar, vas_name varchar, category varchar, monthly_fee decimal(10,2),
    _load_id bigint not null, _business_date date not null, _line bigint
);
