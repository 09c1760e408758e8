-- grain: one row per data protection key of the shared key ring, oldest first (postgresql only)
select xml from ops.data_protection_key order by created_at, friendly_name
