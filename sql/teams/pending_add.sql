-- grain: one team or agent whose publication failed, once
insert into ops.team_publish_pending (kind, record_key, failed_at)
select $kind, $record_key, now()
where not exists (select 1 from ops.team_publish_pending where kind = $kind and record_key = $record_key)
