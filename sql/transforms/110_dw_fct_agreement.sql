-- grain: one row per agreement in its newest delivered state (the first delivery holds all agreements, later
-- ones only new and changed agreements, so the newest row per agreement_id is the current state).
-- an agreement binds the subscriber on a day that lies between its start and end date, unless it was cancelled
-- (ended early; the ods does not say when, so a cancelled agreement binds on no day). days_to_end drives the
-- contract expiry warning; fct_subscriber_month applies the same rule at every month end.
-- refresh: key agreement_id
-- input: stg.agreement
-- input: dw.as_of (as_of_date) all
-- month: start_date
-- order: subscriber_id, start_date
with

agreement as (
    select * from stg.agreement
    {% if is_incremental() %}
    semi join refresh_key using (agreement_id)
    {% endif %}
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
            and agreement.end_date >= as_of.as_of_date as is_active,
        agreement._business_date as delivered_for
    from agreement
    cross join as_of
)

select * from final
