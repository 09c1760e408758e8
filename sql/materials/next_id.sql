-- grain: one row: the id of a new material
select nextval('ops.material_id_seq')
