-- grain: one team or agent owed, once published
delete from ops.team_publish_pending where kind = $kind and record_key = $record_key
