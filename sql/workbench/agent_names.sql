-- grain: one row per listed username ($usernames, comma-separated) with an agent record: the name a person reads
select username, display_name
from ops.agent
where username in (select unnest(string_split($usernames, ',')))
