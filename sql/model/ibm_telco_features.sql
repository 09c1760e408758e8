-- grain: one row per customer of IBM's public Telco churn sample (stg.telco_churn): the same training code as the
-- province, on data the product did not generate. no period: the sample is one snapshot, split at random.
with

customers as (
    select * from stg.telco_churn
),

final as (
    select
        customer_id,
        cast(churn as integer) as label,
        -- categorical
        gender,
        multiple_lines,
        internet_service,
        online_security,
        online_backup,
        device_protection,
        tech_support,
        streaming_tv,
        streaming_movies,
        contract,
        payment_method,
        -- numeric
        cast(senior_citizen as double) as senior_citizen,
        cast(partner as double) as partner,
        cast(dependents as double) as dependents,
        cast(tenure as double) as tenure,
        cast(phone_service as double) as phone_service,
        cast(paperless_billing as double) as paperless_billing,
        cast(monthly_charges as double) as monthly_charges,
        cast(total_charges as double) as total_charges
    from customers
)

select * from final
