-- grain: one row: how many delivered files the loader has seen (zero means a fresh warehouse to seed)
select count(*) as files_seen
from meta.load_audit
