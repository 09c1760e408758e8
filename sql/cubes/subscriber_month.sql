-- grain: one row per subscriber and month (plus the snapshot-base members' months without a fact row): the cube's base
-- relation, materialised by sql/transforms/220_mart_cube_subscriber_month.sql, with the names of its coded members
with

cube as (
    select * from mart.cube_subscriber_month
),

final as (
    select
        *,
        case payment_type when 'prepaid' then 'Prepaid' when 'postpaid' then 'Postpaid' else payment_type end as payment_type_name_en,
        case payment_type when 'prepaid' then 'Prepaid' when 'postpaid' then 'Postpaid' else payment_type end as payment_type_name_de,
        case payment_type when 'prepaid' then '预付费' when 'postpaid' then '后付费' else payment_type end as payment_type_name_zh,
        case tenure_band
            when '0-5m' then 'under 6 months' when '6-11m' then '6–11 months' when '1-2y' then '1–2 years'
            when '2-5y' then '2–5 years' when '5y+' then '5 years and more' else tenure_band
        end as tenure_band_name_en,
        case tenure_band
            when '0-5m' then 'unter 6 Monaten' when '6-11m' then '6–11 Monate' when '1-2y' then '1–2 Jahre'
            when '2-5y' then '2–5 Jahre' when '5y+' then '5 Jahre und mehr' else tenure_band
        end as tenure_band_name_de,
        case tenure_band
            when '0-5m' then '6个月以下' when '6-11m' then '6–11个月' when '1-2y' then '1–2年'
            when '2-5y' then '2–5年' when '5y+' then '5年及以上' else tenure_band
        end as tenure_band_name_zh
    from cube
)

select * from final
