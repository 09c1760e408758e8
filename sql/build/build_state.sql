-- grain: one row: the last build's watermark (the newest load it took in) and the newest load now
select
    coalesce((select max(to_load_id) from meta.build), 0) as LastLoadId,
    coalesce((select max(load_id) from meta.load_audit), 0) as NewestLoadId
