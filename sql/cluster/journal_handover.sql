-- grain: one journaled handover row of a city, as the handover or stop on the writer left it, unless the city has its
-- row already (the same, or a newer one: cluster/journal_handover_older.sql removed an older one first)
insert into ops.dialer_campaign (campaign_id, city_code, mode, status, handed_by, handed_at, stopped_by, stopped_at)
select $campaign_id, $city_code, $mode, $status, $handed_by, $handed_at, $stopped_by, $stopped_at
where not exists (
    select 1 from ops.dialer_campaign where campaign_id = $campaign_id and city_code = $city_code
)
