-- grain: one new version of a material
insert into ops.material (material_id, version, title, kind, file_name, content_type, size_bytes, content, roles,
    uploaded_at, uploaded_by)
values ($id, $version, $title, $kind, $file_name, $content_type, $size, $content, $roles, $now, $username)
