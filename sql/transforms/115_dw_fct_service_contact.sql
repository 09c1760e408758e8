-- grain: one row per service contact (complaint or other contact) in its newest delivered state; an open
-- complaint is delivered again when it is closed. the free-text remark may hold personal data and is not
-- carried into dw.
-- refresh: key contact_id
-- input: stg.service_contact
-- month: contact_date
-- order: subscriber_id, contact_time
with

service_contact as (
    select * from stg.service_contact
    {% if is_incremental() %}
    semi join refresh_key using (contact_id)
    {% endif %}
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
        status is distinct from 'closed' and closed_time is null as is_open,
        _business_date as delivered_for
    from service_contact
)

select * from final
