-- grain: one row: the next version of an existing material (null when there is no such material)
select max(version) + 1
from ops.material
where material_id = $material_id
