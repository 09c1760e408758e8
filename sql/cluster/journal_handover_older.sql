-- grain: the campaign's handover row of one city, if it changed before the journaled row that replaces it
-- (AgentJournal.Replay, with cluster/journal_handover.sql): a newer row of the city is left alone
delete from ops.dialer_campaign
where campaign_id = $campaign_id
  and city_code = $city_code
  and greatest(handed_at, coalesce(stopped_at, handed_at)) < $changed_at
