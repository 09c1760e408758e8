-- grain: one row: the tasks and current subscribers of the benchmarked warehouse
select (select count(*) from ops.task) as tasks, (select count(*) from dw.dim_subscriber where is_current) as subscribers
