-- grain: one row per model: the fingerprint of the sql it was last built with
select model as Model, sql_hash as SqlHash
from meta.transform_state
