-- grain: one row per value-added service of the newest vas catalogue delivery.
-- refresh: full
-- input: stg.vas_product
with

vas_product as (
    select * from stg.vas_product
    where _business_date = (select max(_business_date) from stg.vas_product)
),

final as (
    select vas_code, vas_name, category, monthly_fee
    from vas_product
)

select * from final
