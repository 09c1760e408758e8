-- grain: one view removed (the owner is checked by the caller)
delete from ops.cube_view
where view_id = $view_id
