-- grain: one row per broadband account of the newest broadband snapshot (a cancelled account appears in its
-- cancellation month only, so it is here only when it was cancelled in the newest month).
-- refresh: full
-- input: stg.broadband
with

broadband as (
    select * from stg.broadband
    where _business_date = (select max(_business_date) from stg.broadband)
),

final as (
    select
        account_id,
        customer_id,
        subscriber_id,
        bb_plan,
        speed_mbps,
        start_date,
        end_date,
        status,
        _business_date as snapshot_date
    from broadband
)

select * from final
