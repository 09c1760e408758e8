-- grain: one row per model one build refreshed, in run order: full or incremental, the scope and the reason
with

build_model as (
    select * from meta.build_model
    where build_id = $build_id
),

final as (
    select
        model,
        file_name,
        mode,
        reason,
        cause,
        scope_kind,
        scope_count,
        scope_detail,
        rows_deleted,
        rows_inserted,
        duration_ms
    from build_model
)

select * from final
order by file_name
