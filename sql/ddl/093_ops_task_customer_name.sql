-- the customer's name on the task, copied from the serving profile when the task is generated (sql/tasks/name_tasks.sql):
-- the agent's queue is then read from ops.task alone, never joined with the warehouse's customers per request
alter table ops.task add column if not exists customer_name varchar;
