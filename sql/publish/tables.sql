-- grain: one row per column of a published table: the facts (dw.fct_*) and the marts (mart.*, tables only), in column order.
-- the dimensions are not published: dim_customer and dim_subscriber carry personal data.
select
    c.schema_name as SchemaName,
    c.table_name as TableName,
    c.column_name as ColumnName,
    c.data_type as DataType,
    c.column_index as ColumnIndex
from duckdb_columns() as c
join duckdb_tables() as t
    on t.database_name = c.database_name and t.schema_name = c.schema_name and t.table_name = c.table_name
where c.database_name = current_database()
    and not t.temporary
    and ((c.schema_name = 'dw' and starts_with(c.table_name, 'fct_')) or c.schema_name = 'mart')
order by c.schema_name, c.table_name, c.column_index
