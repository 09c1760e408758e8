-- grain: one row per subscriber per version (scd type 2), built from the monthly subscription snapshots.
-- a new version starts in the month in which plan, status, value tier, star level, city or district differs
-- from the previous month's snapshot (gaps and islands: lag over the tracked columns, keep the rows that
-- start an island). valid_from is the month start of the version's first snapshot, valid_to the next
-- version's valid_from (exclusive), '9999-12-31' for the current version.
-- untracked columns (customer, msisdn, imsi, channel, account manager, activation date) are overwritten with
-- the newest snapshot's value in every version (type 1): a corrected msisdn must be found by search.
create or replace table dw.dim_subscriber as

with

snapshots as (
    select * from dw.subscription_month_end
),

compared as (
    select
        subscriber_id,
        month,
        plan_code,
        payment_type,
        status,
        value_tier,
        star_level,
        city_code,
        district_code,
        deactivation_date,
        lag(struct_pack(plan_code, status, value_tier, star_level, city_code, district_code)) over by_month
            is distinct from struct_pack(plan_code, status, value_tier, star_level, city_code, district_code)
            as starts_version,
        lead(month) over by_month is null as is_newest_snapshot,
        customer_id,
        msisdn,
        imsi,
        channel_code,
        account_manager_id,
        activation_date
    from snapshots
    window by_month as (partition by subscriber_id order by month)
),

-- the window output is read once: only island starts and each subscriber's newest snapshot go on
-- (about one row in ten), so the 12 m compared rows are never materialised
kept as (
    select * from compared
    where starts_version or is_newest_snapshot
),

version_starts as (
    select
        subscriber_id,
        month as valid_from,
        coalesce(lead(month) over (partition by subscriber_id order by month), date '9999-12-31') as valid_to,
        row_number() over (partition by subscriber_id order by month) as version_no,
        plan_code,
        payment_type,
        status,
        value_tier,
        star_level,
        city_code,
        district_code,
        deactivation_date
    from kept
    where starts_version
),

newest_snapshot as (
    select subscriber_id, customer_id, msisdn, imsi, channel_code, account_manager_id, activation_date
    from kept
    where is_newest_snapshot
),

final as (
    select
        hash(version_starts.subscriber_id, version_starts.valid_from) as subscriber_key,
        version_starts.subscriber_id,
        version_starts.version_no,
        newest_snapshot.customer_id,
        newest_snapshot.msisdn,
        newest_snapshot.imsi,
        version_starts.payment_type,
        version_starts.plan_code,
        version_starts.status,
        version_starts.value_tier,
        version_starts.star_level,
        version_starts.city_code,
        version_starts.district_code,
        newest_snapshot.channel_code,
        newest_snapshot.account_manager_id,
        newest_snapshot.activation_date,
        version_starts.deactivation_date,
        version_starts.valid_from,
        version_starts.valid_to,
        version_starts.valid_to = date '9999-12-31' as is_current
    from version_starts
    inner join newest_snapshot
        on newest_snapshot.subscriber_id = version_starts.subscriber_id
)

select * from final
