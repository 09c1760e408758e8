-- grain: one row per subscriber per version (scd type 2), built from the monthly subscription snapshots.
-- a new version starts in the month in which plan, status, value tier, star level, city or district differs
-- from the previous month's snapshot (gaps and islands: lag over the tracked columns, keep the rows that
-- start an island). valid_from is the month start of the version's first snapshot, valid_to the next
-- version's valid_from (exclusive), '9999-12-31' for the current version.
-- untracked columns (customer, msisdn, imsi, channel, account manager, activation date) are overwritten with
-- the newest snapshot's value in every version (type 1): a corrected msisdn must be found by search.
-- refreshed by subscriber: the histories whose month-end snapshots a delivery changed are rebuilt whole; before that,
-- the usual scd2 merge leaves alone every subscriber whose only change is a newer month that continues the current
-- version (same tracked and type-1 values), so a month-end delivery rewrites only the histories that moved.
-- refresh: key subscriber_id
-- input: dw.subscription_month_end (subscriber_id, month, plan_code, payment_type, status, value_tier, star_level, city_code, district_code, deactivation_date, customer_id, msisdn, imsi, channel_code, account_manager_id, activation_date)
-- order: subscriber_id, valid_from
{% if is_incremental() %}
delete from refresh_key
where subscriber_id in (
    select changed.subscriber_id
    from changes_dw_subscription_month_end as changed
    left join dw.dim_subscriber as current_version
        on current_version.subscriber_id = changed.subscriber_id
        and current_version.is_current
    left join (
        -- each subscriber's newest month before this delivery's new months
        select snapshots.subscriber_id, max(snapshots.month) as newest_month
        from dw.subscription_month_end as snapshots
        semi join changes_dw_subscription_month_end as changed
            on changed.subscriber_id = snapshots.subscriber_id
        anti join changes_dw_subscription_month_end as added
            on added.subscriber_id = snapshots.subscriber_id
            and added.month = snapshots.month
            and added._change = 'new'
        group by snapshots.subscriber_id
    ) as before_delivery
        on before_delivery.subscriber_id = changed.subscriber_id
    group by changed.subscriber_id
    having bool_and(
        changed._change = 'new'
        and changed.month > before_delivery.newest_month
        and struct_pack(changed.plan_code, changed.status, changed.value_tier, changed.star_level, changed.city_code,
                changed.district_code, changed.customer_id, changed.msisdn, changed.imsi, changed.channel_code,
                changed.account_manager_id, changed.activation_date)
            is not distinct from
            struct_pack(current_version.plan_code, current_version.status, current_version.value_tier,
                current_version.star_level, current_version.city_code, current_version.district_code,
                current_version.customer_id, current_version.msisdn, current_version.imsi, current_version.channel_code,
                current_version.account_manager_id, current_version.activation_date))
);
{% endif %}

with

snapshots as (
    select * from dw.subscription_month_end
    {% if is_incremental() %}
    where subscriber_id in (select subscriber_id from refresh_key)
    {% endif %}
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
