select zone from ops.stamp_zone
