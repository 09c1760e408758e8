-- grain: one row per prepaid top-up; the same top-up delivered twice keeps the newest load.
-- refresh: key recharge_id
-- input: stg.recharge
-- month: recharge_date
-- order: subscriber_id, recharge_time
with

recharge as (
    select * from stg.recharge
    {% if is_incremental() %}
    semi join refresh_key using (recharge_id)
    {% endif %}
    qualify row_number() over (partition by recharge_id order by _business_date desc, _load_id desc, _line desc) = 1
),

final as (
    select
        recharge_id,
        subscriber_id,
        recharge_time,
        cast(recharge_time as date) as recharge_date,
        amount,
        channel_code,
        _business_date as delivered_for
    from recharge
)

select * from final
