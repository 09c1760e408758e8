-- grain: one new saved cube view (names are unique per owner: cubes/view_name_taken.sql first)
insert into ops.cube_view (view_id, owner, name, shared, cube_id, request_json, created_at, updated_at)
values (nextval('ops.cube_view_id_seq'), $owner, $name, $shared, $cube_id, $request_json, now(), now())
returning view_id
