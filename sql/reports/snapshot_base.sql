-- grain: one row per base-date city and base value tier: the snapshot base (拍照用户) in the chosen month
with

base as (
    select * from dw.snapshot_base
),

fct as (
    -- no city_code: a member counts in its base-date city
    select subscriber_id, is_active, status, arpu from dw.fct_subscriber_month where month = $period
),

members as (
    select
        base.subscriber_id,
        base.city_code,
        base.value_tier,
        coalesce(fct.is_active, false) as is_retained,
        coalesce(fct.status = 'suspended', false) as is_suspended,
        coalesce(fct.arpu, 0) as arpu
    from base
    left join fct on fct.subscriber_id = base.subscriber_id
    where (cast($city as varchar) is null or base.city_code = $city)
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

final as (
    select
        city_code,
        value_tier,
        count(*) as base_size,
        count(*) filter (where is_retained) as retained,
        count(*) filter (where not is_retained) as lost,
        count(*) filter (where is_suspended) as suspended,
        count(*) filter (where is_retained) / count(*) as retention_rate,
        cast(sum(arpu) as decimal(18, 2)) as revenue,
        cast(sum(arpu) / nullif(count(*) filter (where is_retained), 0) as decimal(18, 2)) as arpu
    from members
    group by city_code, value_tier
)

select * from final
order by city_code, value_tier
