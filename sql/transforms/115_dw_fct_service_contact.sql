-- grain: one row per service contact (complaint or other contact) in its newest delivered state; an open
-- complaint is delivered again when it is closed. the free-text remark may hold personal data and is not
-- carried into dw.
create or replace table dw.fct_service_contact as

with

service_contact as (
    select * from stg.service_contact
    qualify row_number() over (partition by contact_id order by _business_date desc, _load_id desc, _line desc) = 1
),

final as (
    select
        contact_id,
        subscriber_id,
        contact_time,
        cast(contact_time as date) as contact_date,
        contact_channel,
        category,
        coalesce(is_complaint, false) as is_complaint,
        status,
        closed_time,
        -- a contact marked closed without a close time counts as closed when it was made
        coalesce(closed_time, case when status = 'closed' then contact_time end) as closed_at,
        status is distinct from 'closed' and closed_time is null as is_open
    from service_contact
)

select * from final
