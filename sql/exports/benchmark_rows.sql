-- grain: one generated subscriber per row (the export benchmark's full sheet; nothing is read from the warehouse)
with numbers as (
    select i from range($rows) t(i)
),

final as (
    select 'S' || lpad(cast(i as varchar), 9, '0') as subscriber_id,
           ['杭州', '宁波', '温州', '嘉兴', '湖州', '绍兴', '金华', '衢州', '舟山', '台州', '丽水'][1 + i % 11] as city,
           ['high', 'mid', 'low'][1 + i % 3] as value_tier,
           'PLAN-' || (i % 40) as plan,
           round(20 + (i * 37 % 30000) / 100.0, 2) as arpu,
           i * 13 % 2500 as voice_minutes,
           round((i * 7 % 5000) / 100.0, 2) as data_gb,
           (i * 31 % 1000) / 1000.0 as churn_score,
           date '2015-01-01' + cast(i % 4000 as integer) as activated,
           timestamp '2026-10-01 00:00:00' + to_seconds(cast(i * 17 % 2592000 as bigint)) as last_event
    from numbers
)

select * from final
