-- how many rows the adoption moved; no zone is named as shifted from when the log was empty
update ops.stamp_zone
set rows_shifted = $rows, shifted_from = case when $rows > 0 then shifted_from end
