-- grain: the file of one material version (none when there is no such version)
select content
from ops.material
where material_id = $material_id and version = $version
