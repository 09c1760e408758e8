-- grain: every open session of one account ended (disabled, password changed or reset)
update ops.app_session
set revoked_at = now(), revoked_reason = $reason
where username = $username and revoked_at is null
  and ($keep_session_id is null or session_id <> $keep_session_id)
