-- grain: one session ended on the server (sign-out)
update ops.app_session
set revoked_at = now(), revoked_reason = $reason
where session_id = $session_id and revoked_at is null
