-- the alerts of one subscriber are read by key while an agent is on the phone (the 360 and the reasons of an opened
-- task, sql/customers/c360_alerts.sql): an ART index on subscriber_id turns that read from a scan of every alert into
-- an index look-up. (duckdb refuses to alter a table's columns while an index depends on them: a later change of
-- det.alert's columns drops the index first and creates it again.)
create index if not exists alert_subscriber on det.alert (subscriber_id);
