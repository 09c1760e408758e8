-- grain: one row per complaint or service contact of the subscriber: every open one, plus those made in the
-- 12 months up to the as-of month; newest first. the free-text remark is not in dw.
with

contacts as (
    select * from dw.fct_service_contact
    where subscriber_id = $subscriber_id
),

final as (
    select
        contact_id as ContactId,
        contact_time as ContactAt,
        contact_channel as Channel,
        category as Category,
        is_complaint as IsComplaint,
        status as Status,
        closed_at as ClosedAt,
        is_open as IsOpen
    from contacts
    where is_open
        or contact_date >= (select cast(as_of_month - interval 11 month as date) from dw.as_of)
    order by contact_time desc, contact_id
)

select * from final
