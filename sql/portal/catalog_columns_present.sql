-- grain: one row: how many of the asked-for columns (a comma-separated list) exist in one table of the warehouse
select count(distinct column_name) as columns_present
from information_schema.columns
where table_schema = $schema
  and table_name = $table
  and list_contains(string_split($columns, ','), column_name)
