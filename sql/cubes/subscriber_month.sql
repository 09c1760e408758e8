-- grain: one row per subscriber and month (plus the snapshot-base members' months without a fact row): the cube's base
-- relation, materialised by sql/transforms/220_mart_cube_subscriber_month.sql
select * from mart.cube_subscriber_month
