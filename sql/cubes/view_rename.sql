-- grain: the name of one view (the owner and the name's uniqueness are checked by the caller)
update ops.cube_view
set name = $name, updated_at = now()
where view_id = $view_id
