-- grain: one row per view the user may open: their own and everyone's shared views, by name
select view_id, owner, name, shared, cube_id, request_json, created_at, updated_at
from ops.cube_view
where owner = $user or shared
order by lower(name), view_id
