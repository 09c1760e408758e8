-- grain: the stored pivot state of one view (the owner is checked by the caller)
update ops.cube_view
set cube_id = $cube_id, request_json = $request_json, updated_at = now()
where view_id = $view_id
