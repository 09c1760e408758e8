-- grain: one session seen active now (idle timeout counts from here)
update ops.app_session
set last_seen_at = now()
where session_id = $session_id and revoked_at is null
