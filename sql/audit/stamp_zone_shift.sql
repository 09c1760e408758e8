-- the audit log written on the server's clock ($from, an IANA zone) moved to the province's ($to), row by row
-- (daylight saving included)
update ops.audit_log
set occurred_at = cast(timezone($to, timezone($from, occurred_at)) as timestamp)
