-- grain: one row: how many portal accounts exist (the demo seed runs only on an empty table)
select count(*) as accounts from ops.app_user
