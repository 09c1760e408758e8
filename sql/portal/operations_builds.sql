-- grain: one row per warehouse build, newest first: what it took in and how much it refreshed
with

build as (
    select * from meta.build
),

final as (
    select
        build_id,
        kind,
        from_month,
        to_load_id - from_load_id as loads,
        started_at,
        duration_ms,
        models_refreshed,
        models_unchanged
    from build
)

select * from final
order by build_id desc
limit $limit
