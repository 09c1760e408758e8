-- grain: one row per customer of the newest customer delivery. the personal columns (name, id number, birth
-- date) live here and nowhere else in dw or mart: facts and marts carry customer_id only.
-- refresh: full
-- input: stg.customer
-- order: customer_id
with

customer as (
    select * from stg.customer
    where _business_date = (select max(_business_date) from stg.customer)
),

final as (
    select
        customer_id,
        customer_name,
        id_number,
        gender,
        birth_date,
        city_code,
        customer_type,
        created_date
    from customer
)

select * from final
