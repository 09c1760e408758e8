-- grain: one row per campaign handed to the dialer in progressive mode and active in some city (the demo simulator
-- plays a progressive dialer; preview records are asked for by agents)
select distinct campaign_id from ops.dialer_campaign where status = 'active' and mode = 'progressive' order by campaign_id
