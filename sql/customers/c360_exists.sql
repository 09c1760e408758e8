-- grain: one row: whether the subscriber exists at all, regardless of scope. only for the audit trail, to tell
-- a denied open (someone else's region) from a mistyped id; the answer never reaches the user.
select exists (select 1 from dw.dim_subscriber where subscriber_id = $subscriber_id) as subscriber_exists
