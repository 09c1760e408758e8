-- grain: one row: how many other views of the owner have this name (view_id 0: none is excluded)
select count(*)
from ops.cube_view
where owner = $owner and name = $name and view_id <> $view_id
