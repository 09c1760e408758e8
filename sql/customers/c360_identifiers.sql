-- grain: one row: the full identifiers of one subscriber for a reveal, if the subscriber is in the caller's
-- region scope. read only when a user asks to see one of them (the request is audited).
with

subscriber as (
    select subscriber_id, customer_id, msisdn, imsi
    from dw.dim_subscriber
    where subscriber_id = $subscriber_id
        and is_current
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

final as (
    select
        subscriber.msisdn as Msisdn,
        subscriber.imsi as Imsi,
        customer.id_number as IdNumber,
        customer.customer_name as CustomerName
    from subscriber
    left join dw.dim_customer as customer
        on customer.customer_id = subscriber.customer_id
)

select * from final
