-- grain: one row per agreement in its newest delivered state (the first delivery holds all agreements, later
-- ones only new and changed agreements, so the newest row per agreement_id is the current state).
-- an agreement binds the subscriber on a day that lies between its start and end date, unless it was cancelled
-- (ended early; the ods does not say when, so a cancelled agreement binds on no day). days_to_end drives the
-- contract expiry warning; fct_subscriber_month applies the same rule at every month end.
create or replace table dw.fct_agreement as

with

agreement as (
    select * from stg.agreement
    qualify row_number() over (partition by agreement_id order by _business_date desc, _load_id desc, _line desc) = 1
),

as_of as (
    select as_of_date from dw.as_of
),

final as (
    select
        agreement.agreement_id,
        agreement.subscriber_id,
        agreement.policy_code,
        agreement.policy_name,
        agreement.policy_type,
        agreement.start_date,
        agreement.end_date,
        agreement.monthly_commitment,
        agreement.status,
        agreement.end_date - as_of.as_of_date as days_to_end,
        agreement.status is distinct from 'cancelled'
            and agreement.start_date <= as_of.as_of_date
            and agreement.end_date >= as_of.as_of_date as is_active
    from agreement
    cross join as_of
)

select * from final
