-- grain: schema only. a saved cube view's name is unique per owner on every node at once: two nodes that save or
-- rename a view of the same owner to the same name at the same instant cannot both succeed (the view service checks
-- first and reads a violation of this index as the same refusal). duckdb keeps no keys on updated tables (sql/ddl/005):
-- there the service's check in one process is enough.
create unique index if not exists cube_view_owner_name on ops.cube_view (owner, name);
