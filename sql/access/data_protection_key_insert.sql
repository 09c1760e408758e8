-- grain: one new data protection key; a key is never changed once written (postgresql only)
insert into ops.data_protection_key (friendly_name, xml, created_at)
values ($friendly_name, $xml, now())
on conflict (friendly_name) do nothing
