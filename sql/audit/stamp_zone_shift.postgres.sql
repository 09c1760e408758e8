-- the audit log written on the server's clock ($from, an IANA zone) moved to the province's ($to), row by row
-- (daylight saving included)
update ops.audit_log
set occurred_at = (occurred_at at time zone $from) at time zone $to
