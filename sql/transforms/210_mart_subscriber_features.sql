-- grain: one row per subscriber and month (as dw.fct_subscriber_month): the feature row that the churn model
-- and the scenario detectors read. trends compare the month with the average of the three months before it
-- (a sudden bill drop is "this month < (1 − x%) × that average"). churned_next_month is the training label:
-- 1 when the subscriber churns in (or has vanished from) the next month's snapshot, 0 when still there,
-- null when the next month is not loaded yet or the subscriber has already churned.
create or replace table mart.mart_subscriber_features as

with

subscriber_month as (
    select * from dw.fct_subscriber_month
),

as_of as (
    select * from dw.as_of
),

-- the month ends from the small date dimension (not a distinct over the fact): the planner then knows the
-- inequality joins below meet only a dozen months
months as (
    select month_start as month, date as month_end, date + interval 1 day as cutoff
    from dw.dim_date
    where is_month_end
        and date between (select first_snapshot_date from dw.as_of) and (select as_of_date from dw.as_of)
),

loaded_months as (
    select distinct cast(date_trunc('month', _business_date) as date) as month
    from stg.subscription
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

-- points earned before the first loaded month are counted in the first month, so the running sum is the balance
points_by_month as (
    select
        points.subscriber_id,
        greatest(cast(date_trunc('month', points.txn_time) as date), as_of.first_month) as month,
        sum(points.points_delta) as points_delta
    from dw.fct_points as points
    cross join as_of
    group by all
),

recharges_by_month as (
    select subscriber_id, cast(date_trunc('month', recharge_time) as date) as month, sum(amount) as recharge_amount
    from dw.fct_recharge
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
        coalesce(points_by_month.points_delta, 0) as points_delta,
        coalesce(recharges_by_month.recharge_amount, 0) as recharge_amount,
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
    left join points_by_month
        on points_by_month.subscriber_id = subscriber_month.subscriber_id and points_by_month.month = subscriber_month.month
    left join recharges_by_month
        on recharges_by_month.subscriber_id = subscriber_month.subscriber_id
        and recharges_by_month.month = subscriber_month.month
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
        lag(star_level) over by_month as star_level_previous,
        lag(value_tier) over by_month as value_tier_previous,
        cast(sum(points_delta) over (by_month rows between unbounded preceding and current row) as bigint) as points_balance,
        lead(month) over by_month as next_row_month,
        lead(churned_in_month) over by_month as next_row_churned
    from joined
    window
        by_month as (partition by subscriber_id order by month),
        three_months_before as (partition by subscriber_id order by month
            range between interval 3 month preceding and interval 1 month preceding)
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
        case
            when month >= as_of_month or churned_in_month then null
            when next_row_month = cast(month + interval 1 month as date) then cast(next_row_churned as integer)
            -- gone from a loaded next snapshot without a churn row: no longer a subscriber
            when cast(month + interval 1 month as date) in (select month from loaded_months) then 1
        end as churned_next_month
    from windowed
)

-- stored in month order: detectors and the model read one month at a time, and DuckDB's zonemaps then skip the rest
select * from final
order by month, subscriber_id
