-- grain: one row per subscriber with a blacklist entry in force on $today for the channel ($channel: call or sms;
-- an entry of scope both counts for either), and whether one of them is an opt-out. the call lists and the sms
-- dispatcher read it as the temp table blacklist_in_force, beside the warehouse
select subscriber_id, bool_or(reason = 'opt_out') as opted_out
from ops.blacklist
where scope in ($channel, 'both')
    and (valid_until is null or valid_until >= $today)
group by subscriber_id
