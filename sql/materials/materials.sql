-- grain: one row per material version (or only the newest per material), without the file content
with

versions as (
    select material_id, version, title, kind, file_name, content_type, size_bytes, roles, uploaded_at, uploaded_by,
        row_number() over (partition by material_id order by version desc) as newest_first
    from ops.material
    where $material_id is null or material_id = $material_id
),

final as (
    select material_id, version, title, kind, file_name, content_type, size_bytes, roles, uploaded_at, uploaded_by
    from versions
    where not $newest_only or newest_first = 1
)

select * from final
order by material_id, version desc
