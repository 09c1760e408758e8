-- grain: one row per subscriber and month (as dw.fct_subscriber_month): the feature row that the churn model
-- and the scenario detectors read. trends compare the month with the average of the three months before it
-- (a sudden bill drop is "this month < (1 − x%) × that average"). churned_next_month is the training label:
-- 1 when the subscriber churns in (or has vanished from) the next month's snapshot, 0 when still there,
-- null when the next month is not loaded yet or the subscriber has already churned.
-- refreshed by month: a month reads the monthly fact three months back (averages) and one ahead (the label), the
-- states of events at its month end, and (the newest month only) the daily usage.
-- alias: mart_subscriber_features
-- refresh: partition month
-- input: dw.fct_subscriber_month window -1 3
-- input: dw.subscription_month_end window -1 0
-- input: dw.fct_service_contact (subscriber_id, contact_time, is_complaint) window 0 3
-- input: dw.fct_account_event (subscriber_id, event_type, event_time, amount_owed) from
-- input: dw.fct_roaming (subscriber_id, start_time, end_time) from
-- input: dw.fct_points (subscriber_id, txn_time, txn_type, points_delta) from
-- input: dw.fct_vas_order (subscriber_id, vas_code, action, order_time) from
-- input: dw.snapshot_base (subscriber_id, base_date, value_tier, star_level) all
-- input: dw.fct_recharge (subscriber_id, recharge_time, amount)
-- input: dw.fct_usage_day newest
-- input: dw.as_of (as_of_month, usage_day_from, usage_day_to) newest
-- input: dw.as_of (first_month, first_snapshot_date) all
-- order: month, subscriber_id
-- slices: 5000000 per 10GB
with

as_of as (
    select * from dw.as_of
),

-- the subscriber months the refreshed months' windows read: three months back for the averages, one ahead for the label
subscriber_month as (
    select * from dw.fct_subscriber_month
    {% if is_incremental() %}
    where month between (select cast(min(month) - interval 3 month as date) from refresh_partition)
        and (select cast(max(month) + interval 1 month as date) from refresh_partition)
    {% endif %}
),

-- the month ends whose states are computed; a dozen rows at most, so the inequality joins below stay small
months as (
    select
        cast(range as date) as month,
        cast(last_day(range) as date) as month_end,
        cast(last_day(range) as date) + interval 1 day as cutoff
    from as_of, range(cast(as_of.first_month as timestamp), cast(as_of.as_of_month as timestamp) + interval 1 month, interval 1 month)
    {% if is_incremental() %}
    where cast(range as date) in (select month from refresh_partition)
    {% endif %}
),

loaded_months as (
    select distinct month from dw.subscription_month_end
),

-- complaints made in the 90 days up to the month end
complaints_90d as (
    select contacts.subscriber_id, months.month, count(*) as complaints_90d
    from dw.fct_service_contact as contacts
    inner join months
        on contacts.contact_time < months.cutoff
        and contacts.contact_time >= months.cutoff - interval 90 day
    where contacts.is_complaint
    group by all
),

-- suspension state and open arrears at each month end: the latest suspension/resumption decides whether the
-- line is suspended; the latest arrears amount counts as owed unless a resumption followed it
account_at_month_end as (
    select
        events.subscriber_id,
        months.month,
        months.month_end,
        arg_max(events.event_type, events.event_time) filter (where events.is_suspension or events.is_resumption)
            as last_switch_type,
        max(events.event_time) filter (where events.is_suspension or events.is_resumption) as last_switch_time,
        max(events.event_time) filter (where events.is_resumption) as last_resume_time,
        arg_max(events.amount_owed, events.event_time) filter (where events.is_arrears) as last_arrears_amount,
        max(events.event_time) filter (where events.is_arrears) as last_arrears_time
    from dw.fct_account_event as events
    inner join months
        on events.event_time < months.cutoff
    group by all
),

arrears as (
    select
        subscriber_id,
        month,
        case when last_switch_type in ('arrears_suspend', 'request_suspend')
            then date_diff('day', cast(last_switch_time as date), month_end) end as days_suspended,
        case when last_arrears_time > coalesce(last_resume_time, timestamp '1900-01-01')
            then coalesce(last_arrears_amount, 0) else 0 end as amount_owed
    from account_at_month_end
),

roaming_at_month_end as (
    select distinct sessions.subscriber_id, months.month
    from dw.fct_roaming as sessions
    inner join months
        on sessions.start_time < months.cutoff
        and (sessions.end_time is null or sessions.end_time >= months.cutoff)
),

-- the points balance at each month end: every transaction up to it (those before the first loaded month count from it)
points_balance as (
    {% if is_incremental() %}
    select points.subscriber_id, months.month, cast(sum(points.points_delta) as bigint) as points_balance
    from dw.fct_points as points
    cross join as_of
    inner join months
        on greatest(cast(date_trunc('month', points.txn_time) as date), as_of.first_month) <= months.month
    group by all
    {% else %}
    -- one running sum per subscriber over its points months and its snapshot months together (points first within a
    -- month): a window, where a join of every snapshot month with every earlier points month would be quadratic
    with points_by_month as (
        select
            points.subscriber_id,
            greatest(cast(date_trunc('month', points.txn_time) as date), as_of.first_month) as month,
            sum(points.points_delta) as points_delta
        from dw.fct_points as points
        cross join as_of
        group by all
    ),

    running as (
        select
            subscriber_id,
            month,
            is_snapshot,
            cast(sum(points_delta) over (partition by subscriber_id order by month, is_snapshot
                rows between unbounded preceding and current row) as bigint) as points_balance
        from (
            select subscriber_id, month, points_delta, false as is_snapshot from points_by_month
            union all
            select subscriber_id, month, 0, true from subscriber_month
        )
    )

    select subscriber_id, month, points_balance
    from running
    where is_snapshot
    {% endif %}
),

-- the newest redemption up to each month end (scenario: points redemption)
redemptions as (
    select points.subscriber_id, months.month, max(points.txn_time) as last_redeemed_at
    from dw.fct_points as points
    inner join months
        on points.txn_time < months.cutoff
    where points.txn_type = 'redeem'
    group by all
),

-- value-added services active at each month end: those whose newest order by then is a subscription (scenarios: vas
-- analysis, loyalty)
vas_at_month_end as (
    select subscriber_id, month, count(*) filter (where last_action = 'subscribe') as vas_active
    from (
        select orders.subscriber_id, months.month, arg_max(orders.action, orders.order_time) as last_action
        from dw.fct_vas_order as orders
        inner join months
            on orders.order_time < months.cutoff
        group by orders.subscriber_id, months.month, orders.vas_code
    )
    group by all
),

recharges_by_month as (
    select subscriber_id, cast(date_trunc('month', recharge_time) as date) as month, sum(amount) as recharge_amount
    from dw.fct_recharge
    where cast(date_trunc('month', recharge_time) as date) in (select month from months)
    group by all
),

-- daily usage is kept for the last 31 days only, so days since last usage exists for the newest month only;
-- a subscriber without any usage day counts from the start of the kept days (or its activation, if later)
last_usage as (
    select usage_day.subscriber_id, as_of.as_of_month as month, max(usage_day.usage_date) as last_usage_date
    from dw.fct_usage_day as usage_day
    cross join as_of
    group by all
),

joined as (
    select
        subscriber_month.*,
        coalesce(complaints_90d.complaints_90d, 0) as complaints_90d,
        coalesce(arrears.days_suspended, case when subscriber_month.status = 'suspended' then 0 end)
            as days_suspended,
        coalesce(arrears.amount_owed, 0) as amount_owed,
        roaming_at_month_end.subscriber_id is not null as is_roaming,
        coalesce(points_balance.points_balance, 0) as points_balance,
        coalesce(recharges_by_month.recharge_amount, 0) as recharge_amount,
        redemptions.last_redeemed_at,
        coalesce(vas_at_month_end.vas_active, 0) as vas_active,
        snapshot_base.base_date,
        snapshot_base.value_tier as base_value_tier,
        snapshot_base.star_level as base_star_level,
        case when subscriber_month.month = as_of.as_of_month and as_of.usage_day_to is not null
            then date_diff('day',
                coalesce(last_usage.last_usage_date,
                    cast(greatest(subscriber_month.activation_date, as_of.usage_day_from) - interval 1 day as date)),
                as_of.usage_day_to)
        end as days_since_last_usage,
        as_of.as_of_month
    from subscriber_month
    cross join as_of
    left join complaints_90d
        on complaints_90d.subscriber_id = subscriber_month.subscriber_id and complaints_90d.month = subscriber_month.month
    left join arrears
        on arrears.subscriber_id = subscriber_month.subscriber_id and arrears.month = subscriber_month.month
    left join roaming_at_month_end
        on roaming_at_month_end.subscriber_id = subscriber_month.subscriber_id
        and roaming_at_month_end.month = subscriber_month.month
    left join points_balance
        on points_balance.subscriber_id = subscriber_month.subscriber_id and points_balance.month = subscriber_month.month
    left join recharges_by_month
        on recharges_by_month.subscriber_id = subscriber_month.subscriber_id
        and recharges_by_month.month = subscriber_month.month
    left join redemptions
        on redemptions.subscriber_id = subscriber_month.subscriber_id and redemptions.month = subscriber_month.month
    left join vas_at_month_end
        on vas_at_month_end.subscriber_id = subscriber_month.subscriber_id and vas_at_month_end.month = subscriber_month.month
    left join dw.snapshot_base as snapshot_base
        on snapshot_base.subscriber_id = subscriber_month.subscriber_id
    -- an equi-join on month: a join condition on the cross-joined as_of row made the planner fall back to a
    -- nested loop over 12 m rows
    left join last_usage
        on last_usage.subscriber_id = subscriber_month.subscriber_id and last_usage.month = subscriber_month.month
),

windowed as (
    select
        joined.*,
        avg(arpu) over three_months_before as arpu_avg_3m,
        avg(voice_minutes) over three_months_before as voice_avg_3m,
        avg(data_mb) over three_months_before as data_avg_3m,
        lag(month) over by_month as previous_row_month,
        lag(star_level) over by_month as previous_row_star_level,
        lag(value_tier) over by_month as previous_row_value_tier,
        lead(month) over by_month as next_row_month,
        lead(churned_in_month) over by_month as next_row_churned
    from joined
    window
        by_month as (partition by subscriber_id order by month),
        three_months_before as (partition by subscriber_id order by month
            range between interval 3 month preceding and interval 1 month preceding)
),

-- "previous" is the subscriber's previous snapshot row; a refresh reads three months back, so a subscriber whose
-- previous row is older than that (a gap in its snapshots) finds it here
previous_before_window as (
    {% if is_incremental() %}
    select fact.subscriber_id, arg_max(struct_pack(fact.star_level, fact.value_tier), fact.month) as previous
    from dw.fct_subscriber_month as fact
    where fact.month < (select cast(min(month) - interval 3 month as date) from refresh_partition)
        and fact.subscriber_id in (
            select subscriber_id from windowed
            where previous_row_month is null and month in (select month from refresh_partition))
    group by fact.subscriber_id
    {% else %}
    select subscriber_id, struct_pack(star_level, value_tier) as previous from subscriber_month where false
    {% endif %}
),

resolved as (
    select
        windowed.*,
        case when windowed.previous_row_month is null
            then previous_before_window.previous.star_level else windowed.previous_row_star_level end as star_level_previous,
        case when windowed.previous_row_month is null
            then previous_before_window.previous.value_tier else windowed.previous_row_value_tier end as value_tier_previous
    from windowed
    left join previous_before_window
        on previous_before_window.subscriber_id = windowed.subscriber_id
),

final as (
    select
        month,
        subscriber_id,
        city_code,
        district_code,
        plan_code,
        payment_type,
        channel_code,
        value_tier,
        value_tier_previous,
        star_level,
        star_level_previous,
        star_level - star_level_previous as star_level_change,
        status,
        is_active,
        is_new,
        in_snapshot_base,
        tenure_months,
        arpu,
        round(arpu_avg_3m, 2) as arpu_avg_3m,
        arpu / nullif(arpu_avg_3m, 0) as arpu_trend,
        voice_minutes,
        voice_minutes / nullif(voice_avg_3m, 0) as voice_trend,
        data_mb,
        data_mb / nullif(data_avg_3m, 0) as data_trend,
        sms_count,
        offnet_minutes,
        offnet_minutes / nullif(voice_minutes, 0) as offnet_share,
        active_days,
        open_complaints,
        complaints_90d,
        status = 'suspended' as is_suspended,
        days_suspended,
        amount_owed,
        months_to_contract_end,
        has_active_forwarding_offnet,
        balance,
        fee_due_month_end,
        shortfall,
        recharge_amount,
        days_since_last_usage,
        is_roaming,
        points_balance,
        last_redeemed_at,
        vas_active,
        base_date,
        base_value_tier,
        base_star_level,
        case
            when month >= as_of_month or churned_in_month then null
            when next_row_month = cast(month + interval 1 month as date) then cast(next_row_churned as integer)
            -- gone from a loaded next snapshot without a churn row: no longer a subscriber
            when cast(month + interval 1 month as date) in (select month from loaded_months) then 1
        end as churned_next_month
    from resolved
)

-- stored in month order: detectors and the model read one month at a time, and DuckDB's zonemaps then skip the rest
select * from final
