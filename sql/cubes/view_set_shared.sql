-- grain: whether one view is shared with everyone (the owner is checked by the caller)
update ops.cube_view
set shared = $shared, updated_at = now()
where view_id = $view_id
