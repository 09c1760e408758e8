-- grain: one row per contract / policy agreement of the subscriber in its newest state: active ones first, then
-- by end date (newest first). days_left is measured at the as-of date, as the expiry scenario does.
with

agreements as (
    select * from dw.fct_agreement where subscriber_id = $subscriber_id
),

final as (
    select
        agreement_id as AgreementId,
        policy_code as PolicyCode,
        policy_name as PolicyName,
        policy_type as PolicyType,
        start_date as StartDate,
        end_date as EndDate,
        monthly_commitment as MonthlyCommitment,
        status as Status,
        cast(days_to_end as integer) as DaysLeft,
        is_active as IsActive
    from agreements
    order by is_active desc, end_date desc, agreement_id
)

select * from final
