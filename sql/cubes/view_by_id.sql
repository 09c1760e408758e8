-- grain: the saved cube view with this id (none when there is no such view)
select view_id, owner, name, shared, cube_id, request_json, created_at, updated_at
from ops.cube_view
where view_id = $view_id
