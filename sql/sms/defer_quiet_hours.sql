-- grain: one update per message due during quiet hours in its city's zone: it waits until they end there (deferred,
-- never dropped). $cities: the zone's cities (null: every city but $except_cities, the province's own zone).
update ops.sms_outbox
set status = 'deferred',
    next_attempt_at = $quiet_end,
    updated_at = $now
where status in ('pending', 'deferred', 'retry')
    and next_attempt_at <= $now
    and (cast($cities as varchar) is null and not list_contains(string_split($except_cities, ','), city_code)
        or list_contains(string_split(cast($cities as varchar), ','), city_code))
