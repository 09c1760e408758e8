-- grain: one row: takes $count values of the sequence {sequence}, so that the next one comes after the highest replayed
-- id ({sequence} from the fixed list AgentJournal.KeptIds, as in journal_ids.sql)
select max(nextval('{sequence}')) from range($count)
