-- grain: one row per subscriber and month (month = month start) for every subscriber in that month's
-- month-end subscription snapshot; a churned subscriber appears once more, in its churn month, with
-- status churned. the monthly snapshot fact every retention kpi and feature is computed from.
-- refreshed by month: a month's row depends on that month's snapshot, bill, usage and balance, and on the events and
-- agreement deliveries up to its month end (so a change there refreshes its month and every later one).
-- refresh: partition month
-- input: dw.subscription_month_end
-- input: dw.fct_bill
-- input: dw.fct_usage_month
-- input: dw.fct_balance
-- input: stg.agreement from
-- input: dw.fct_call_forwarding (subscriber_id, action, action_time, active_until, is_offnet) from
-- input: dw.fct_service_contact (subscriber_id, contact_time, closed_at, is_complaint) from
-- input: dw.snapshot_base (subscriber_id) all
-- order: month, subscriber_id
-- slices: 5000000 per 10GB
with

snapshots as (
    select * from dw.subscription_month_end
    {% if is_incremental() %}
    where month in (select month from refresh_partition)
    {% endif %}
),

month_end_dates as (
    select distinct _business_date as business_date from snapshots
),

-- one row per month, also when the core's sources delivered it on different days
months as (
    select distinct
        cast(date_trunc('month', business_date) as date) as month,
        cast(last_day(business_date) as date) as month_end,
        -- events strictly before the next day count as "at month end"
        cast(last_day(business_date) as date) + interval 1 day as cutoff
    from month_end_dates
),

bills as (
    select subscriber_id, bill_month as month, total_amount
    from dw.fct_bill
    {% if is_incremental() %}
    where bill_month in (select month from refresh_partition)
    {% endif %}
),

usage as (
    select subscriber_id, usage_month as month, voice_minutes, data_mb, sms_count, offnet_minutes, active_days
    from dw.fct_usage_month
    {% if is_incremental() %}
    where usage_month in (select month from refresh_partition)
    {% endif %}
),

balances as (
    select subscriber_id, balance_month as month, balance, fee_due_month_end, shortfall
    from dw.fct_balance
    {% if is_incremental() %}
    where balance_month in (select month from refresh_partition)
    {% endif %}
    qualify row_number() over (partition by subscriber_id, balance_month order by balance_date desc) = 1
),

snapshot_base as (
    select subscriber_id from dw.snapshot_base
),

-- the agreement that binds longest decides how many months are left
-- each agreement as the operator knew it at each month end (its newest delivery up to that date), not its newest
-- state: the ods cancels a churner's agreement in the churn month, and reading today's state would erase the
-- contract from every earlier month of exactly the subscribers who churn
agreement_as_known as (
    select
        months.month,
        months.month_end,
        deliveries.subscriber_id,
        deliveries.start_date,
        deliveries.end_date,
        deliveries.status
    from stg.agreement as deliveries
    inner join months
        on deliveries._business_date <= months.month_end
    qualify row_number() over (
        partition by months.month, deliveries.agreement_id
        order by deliveries._business_date desc, deliveries._load_id desc, deliveries._line desc) = 1
),

contract_ends as (
    select subscriber_id, month, max(end_date) as contract_end_date
    from agreement_as_known
    where status is distinct from 'cancelled'
        and start_date <= month_end
        and end_date >= month_end
    group by all
),

offnet_forwarding as (
    select distinct forwards.subscriber_id, months.month
    from dw.fct_call_forwarding as forwards
    inner join months
        on forwards.action_time < months.cutoff
        and (forwards.active_until is null or forwards.active_until >= months.cutoff)
    where forwards.action = 'set'
        and forwards.is_offnet
),

open_complaints as (
    select contacts.subscriber_id, months.month, count(*) as open_complaints
    from dw.fct_service_contact as contacts
    inner join months
        on contacts.contact_time < months.cutoff
        and (contacts.closed_at is null or contacts.closed_at >= months.cutoff)
    where contacts.is_complaint
    group by all
),

final as (
    select
        snapshots.month,
        months.month_end,
        snapshots.subscriber_id,
        snapshots.customer_id,
        snapshots.city_code,
        snapshots.district_code,
        snapshots.plan_code,
        snapshots.payment_type,
        snapshots.channel_code,
        snapshots.value_tier,
        snapshots.star_level,
        snapshots.status,
        snapshots.activation_date,
        snapshots.deactivation_date,
        snapshots.status <> 'churned' as is_active,
        snapshots.status = 'churned' as churned_in_month,
        snapshots.activation_date >= snapshots.month
            and snapshots.activation_date <= months.month_end as is_new,
        greatest(date_diff('month', snapshots.activation_date, months.month_end), 0) as tenure_months,
        -- without a bill the snapshot's own monthly charge stands in (a churn snapshot delivers no bills)
        coalesce(bills.total_amount, snapshots.monthly_charge) as bill_amount,
        -- arpu of one subscriber is simply the month's bill total
        coalesce(bills.total_amount, snapshots.monthly_charge) as arpu,
        usage.voice_minutes,
        usage.data_mb,
        usage.sms_count,
        usage.offnet_minutes,
        usage.active_days,
        balances.balance,
        balances.fee_due_month_end,
        balances.shortfall,
        date_diff('month', months.month_end, contract_ends.contract_end_date) as months_to_contract_end,
        offnet_forwarding.subscriber_id is not null as has_active_forwarding_offnet,
        coalesce(open_complaints.open_complaints, 0) as open_complaints,
        snapshot_base.subscriber_id is not null as in_snapshot_base,
        -- why a churner left, as the delivery says (dw.dim_churn_reason)
        case when snapshots.status = 'churned' then snapshots.churn_category end as churn_category,
        case when snapshots.status = 'churned' then snapshots.churn_reason end as churn_reason
    from snapshots
    inner join months
        on months.month = snapshots.month
    left join bills
        on bills.subscriber_id = snapshots.subscriber_id and bills.month = snapshots.month
    left join usage
        on usage.subscriber_id = snapshots.subscriber_id and usage.month = snapshots.month
    left join balances
        on balances.subscriber_id = snapshots.subscriber_id and balances.month = snapshots.month
    left join contract_ends
        on contract_ends.subscriber_id = snapshots.subscriber_id and contract_ends.month = snapshots.month
    left join offnet_forwarding
        on offnet_forwarding.subscriber_id = snapshots.subscriber_id and offnet_forwarding.month = snapshots.month
    left join open_complaints
        on open_complaints.subscriber_id = snapshots.subscriber_id and open_complaints.month = snapshots.month
    left join snapshot_base
        on snapshot_base.subscriber_id = snapshots.subscriber_id
)

select * from final
