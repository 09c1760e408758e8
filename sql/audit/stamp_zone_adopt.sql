-- marks the store as stamped in the province's zone; a second node adopting at the same moment fails on the key
insert into ops.stamp_zone (singleton, zone, adopted_at, shifted_from, rows_shifted)
values (true, $zone, now(), $shifted_from, $rows_shifted)
